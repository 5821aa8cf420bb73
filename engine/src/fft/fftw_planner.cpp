#include "fftw_planner.hpp"

#include "blurcam/fft_planning.hpp"
#include "fft_testing.hpp"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <system_error>

#include <unistd.h>
#include <vector>

namespace blurcam::fft {
namespace {

// FFTW_DESTROY_INPUT lets FFTW pick faster algorithms; the backend never reads a transform's
// input again. Wisdom only matches the same flags, so planning ahead uses them too.
constexpr unsigned kPlanFlags = FFTW_DESTROY_INPUT;

/// Constructed before (and so destroyed after) the plan cache, whose plan deleters lock it.
std::mutex& plannerMutex() {
    static std::mutex mutex;
    return mutex;
}

void destroyPlan(Plan* plan) {
    {
        const std::lock_guard lock(plannerMutex());
        if (plan->handle != nullptr) {
            fftwf_destroy_plan(plan->handle);
        }
    }
    delete plan; // NOLINT(cppcoreguidelines-owning-memory): the shared_ptr deleter owns it
}

struct PlannerState {
    PlannerState() { (void)plannerMutex(); }
    // Guarded by plannerMutex(). Plans dropped from here must be released after unlocking, as
    // their deleter locks the mutex too.
    std::map<TransformShape, PlanPtr> plans;
    PlannerStats stats;
    bool wisdomLoadAttempted = false;
    std::atomic<std::uint64_t> generation{0};
};

PlannerState& state() {
    static PlannerState planner;
    return planner;
}

/// Needs the planner mutex held.
void loadWisdomOnce(PlannerState& planner) {
    if (planner.wisdomLoadAttempted) {
        return;
    }
    planner.wisdomLoadAttempted = true;
    const std::string path = fftWisdomPath();
    std::error_code error;
    if (!path.empty() && std::filesystem::is_regular_file(path, error)) {
        // A stale or foreign file is harmless: FFTW rejects it and we plan from scratch.
        planner.stats.wisdomFileLoaded = fftwf_import_wisdom_from_filename(path.c_str()) != 0;
    }
}

/// Needs the planner mutex held. Returns nullptr where FFTW declines (WISDOM_ONLY without wisdom).
fftwf_plan makeHandle(const TransformShape& shape, unsigned rigour) {
    const int sizes[2] = {shape.rows, shape.columns};
    const auto realPlane = static_cast<int>(realPlaneSize(shape));
    const auto complexPlane = static_cast<int>(complexPlaneSize(shape));
    const auto count = static_cast<std::size_t>(shape.count);
    // FFTW_ESTIMATE never touches the arrays, FFTW_MEASURE overwrites them: scratch either way,
    // with fftwf_malloc alignment like every buffer the plan will later run on.
    FftwBuffer<float> real = allocateFftw<float>(count * realPlaneSize(shape));
    FftwBuffer<fftwf_complex> spectrum = allocateFftw<fftwf_complex>(count * complexPlaneSize(shape));
    if (shape.kind == TransformKind::Forward) {
        return fftwf_plan_many_dft_r2c(2, sizes, shape.count, real.get(), nullptr, 1, realPlane, spectrum.get(),
                                       nullptr, 1, complexPlane, rigour | kPlanFlags);
    }
    return fftwf_plan_many_dft_c2r(2, sizes, shape.count, spectrum.get(), nullptr, 1, complexPlane, real.get(), nullptr,
                                   1, realPlane, rigour | kPlanFlags);
}

PlanPtr wrap(fftwf_plan handle, bool measured, const TransformShape& shape) {
    if (handle == nullptr) {
        throw std::runtime_error("FFTW could not plan a " + std::to_string(shape.rows) + "x" +
                                 std::to_string(shape.columns) + " transform");
    }
    auto* plan = new Plan{handle, measured}; // NOLINT(cppcoreguidelines-owning-memory): owned by the shared_ptr
    return {plan, destroyPlan};
}

} // namespace

int nextSmoothSize(int n) {
    for (int candidate = n < 1 ? 1 : n;; ++candidate) {
        int rest = candidate;
        for (int prime : {2, 3, 5, 7}) {
            while (rest % prime == 0) {
                rest /= prime;
            }
        }
        if (rest == 1) {
            return candidate;
        }
    }
}

TransformShape Layout::forward() const {
    return {TransformKind::Forward, paddedHeight, paddedWidth, 4};
}

TransformShape Layout::inverse() const {
    return {TransformKind::Inverse, paddedHeight / stride, paddedWidth / stride, 4};
}

Layout layoutFor(Size frame, const BlurParams& params) {
    Layout layout;
    layout.radius = params.kernelSize / 2;
    layout.stride = params.stride;
    layout.extendedWidth = frame.width + 2 * layout.radius;
    layout.extendedHeight = frame.height + 2 * layout.radius;
    // Stride 2 folds the spectrum in half (fft_backend.cpp), which needs even sizes: an even
    // smooth size is 2 x a smooth size.
    const auto padded = [&](int extent) {
        return params.stride == 2 ? 2 * nextSmoothSize((extent + 1) / 2) : nextSmoothSize(extent);
    };
    layout.paddedWidth = padded(layout.extendedWidth);
    layout.paddedHeight = padded(layout.extendedHeight);
    return layout;
}

std::string notEnoughMemorySentence(const Layout& layout) {
    const int width = layout.extendedWidth - 2 * layout.radius;
    const int height = layout.extendedHeight - 2 * layout.radius;
    return "not enough memory for a " + std::to_string(layout.paddedWidth) + "x" + std::to_string(layout.paddedHeight) +
           " FFT (a " + std::to_string(width) + "x" + std::to_string(height) + " frame)";
}

PlanPtr acquirePlan(const TransformShape& shape) {
    PlannerState& planner = state();
    const std::lock_guard lock(plannerMutex());
    loadWisdomOnce(planner);
    if (auto found = planner.plans.find(shape); found != planner.plans.end()) {
        return found->second;
    }
    PlanPtr plan;
    if (fftwf_plan fromWisdom = makeHandle(shape, FFTW_MEASURE | FFTW_WISDOM_ONLY)) {
        plan = wrap(fromWisdom, true, shape);
        ++planner.stats.wisdomPlans;
    } else {
        plan = wrap(makeHandle(shape, FFTW_ESTIMATE), false, shape);
        ++planner.stats.estimatedPlans;
    }
    planner.plans.emplace(shape, plan);
    return plan;
}

void loadWisdom() {
    const std::lock_guard lock(plannerMutex());
    loadWisdomOnce(state());
}

std::uint64_t planGeneration() {
    return state().generation.load(std::memory_order_acquire);
}

PlannerStats plannerStats() {
    const std::lock_guard lock(plannerMutex());
    return state().stats;
}

void resetPlannerForTesting() {
    PlannerState& planner = state();
    std::map<TransformShape, PlanPtr> dropped; // released after the lock, see PlannerState
    {
        const std::lock_guard lock(plannerMutex());
        dropped.swap(planner.plans);
        fftwf_forget_wisdom();
        planner.stats = {};
        planner.wisdomLoadAttempted = false;
    }
    planner.generation.fetch_add(1, std::memory_order_acq_rel);
}

} // namespace blurcam::fft

namespace blurcam {

std::string fftWisdomPath() {
    if (const char* overridden = std::getenv("BLURCAM_FFTW_WISDOM"); overridden != nullptr && *overridden != '\0') {
        return overridden;
    }
    std::filesystem::path cache;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
        cache = xdg; // the XDG spec says relative paths are invalid and must be ignored
    } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        cache = std::filesystem::path(home) / ".cache";
    } else {
        return {};
    }
    return (cache / "blurcam" / "fftw-wisdom").string();
}

namespace {

/// The file the wisdom is written to: path, or the file a symbolic link at path points to (the
/// link stays). "" in problem when that is a regular file or nothing yet; otherwise why not, as
/// the rename that saves the wisdom would replace whatever is there (a device, a folder, a pipe).
std::filesystem::path wisdomTarget(const std::filesystem::path& path, std::string& problem) {
    namespace fs = std::filesystem;
    std::error_code error;
    fs::path target = path;
    // Followed by hand: a link to a file that does not exist yet is fine (it is made there).
    for (int hops = 0; fs::is_symlink(fs::symlink_status(target, error)); ++hops) {
        const fs::path next = fs::read_symlink(target, error);
        if (error || hops == 40) {
            problem = "cannot save FFTW wisdom to '" + path.string() + "': the symbolic link there cannot be followed";
            return {};
        }
        target = next.is_absolute() ? next : target.parent_path() / next;
    }
    const fs::file_status status = fs::symlink_status(target, error);
    if (!fs::exists(status) || fs::is_regular_file(status)) {
        return target;
    }
    const char* what = fs::is_directory(status)                                     ? "a folder"
                       : fs::is_character_file(status) || fs::is_block_file(status) ? "a device"
                       : fs::is_fifo(status)                                        ? "a named pipe (FIFO)"
                       : fs::is_socket(status)                                      ? "a socket"
                                                                                    : "not a regular file";
    problem = "cannot save FFTW wisdom to '" + path.string() + "': it is " + what +
              ", not a wisdom file; set BLURCAM_FFTW_WISDOM to a file name";
    return {};
}

} // namespace

FftPlanReport planFftSizes(const std::vector<FftPlanRequest>& requests, double secondsPerTransform) {
    using namespace fft;
    FftPlanReport report;
    report.wisdomPath = fftWisdomPath();
    // Checked before measuring: seconds of planning must not end in a file that cannot be saved.
    std::filesystem::path wisdomFile;
    if (!report.wisdomPath.empty()) {
        std::string problem;
        wisdomFile = wisdomTarget(report.wisdomPath, problem);
        if (!problem.empty()) {
            report.error = problem;
            report.wisdomPath.clear();
            return report;
        }
    }
    PlannerState& planner = state();
    std::vector<PlanPtr> replaced; // released after the lock, see PlannerState
    std::string memoryProblem;     // what running out of memory means for the size in hand
    try {
        for (const FftPlanRequest& request : requests) {
            validate(request.params);
            if (request.frame.width < 1 || request.frame.height < 1) {
                report.error = "invalid frame size " + std::to_string(request.frame.width) + "x" +
                               std::to_string(request.frame.height) + " for FFT planning";
                return report;
            }
            const Layout layout = layoutFor(request.frame, request.params);
            memoryProblem = notEnoughMemorySentence(layout);
            for (const TransformShape& shape : {layout.forward(), layout.inverse()}) {
                // One lock per transform rather than for the whole list, so a backend that needs
                // a new size waits for one measurement at most, not for all of them.
                const std::lock_guard lock(plannerMutex());
                loadWisdomOnce(planner);
                auto found = planner.plans.find(shape);
                if (found != planner.plans.end() && found->second->measured) {
                    ++report.transformsPlanned;
                    ++report.transformsKnown;
                    continue;
                }
                // Wisdom from the file makes the plan without measuring; asking for it alone
                // first tells the caller whether this size was already known.
                fftwf_plan handle = makeHandle(shape, FFTW_MEASURE | FFTW_WISDOM_ONLY);
                if (handle != nullptr) {
                    ++report.transformsKnown;
                } else {
                    fftwf_set_timelimit(secondsPerTransform > 0 ? secondsPerTransform : FFTW_NO_TIMELIMIT);
                    handle = makeHandle(shape, FFTW_MEASURE);
                    fftwf_set_timelimit(FFTW_NO_TIMELIMIT);
                    ++planner.stats.measuredPlans;
                }
                PlanPtr plan = wrap(handle, true, shape);
                ++report.transformsPlanned;
                if (found != planner.plans.end()) {
                    replaced.push_back(std::move(found->second));
                    found->second = std::move(plan);
                } else {
                    planner.plans.emplace(shape, std::move(plan));
                }
            }
        }
    } catch (const std::bad_alloc&) {
        report.error = memoryProblem;
    } catch (const std::exception& error) {
        report.error = std::string("FFT planning failed: ") + error.what();
    }
    planner.generation.fetch_add(1, std::memory_order_acq_rel);

    if (report.wisdomPath.empty()) {
        if (report.error.empty()) {
            report.error = "no place to save FFTW wisdom: neither HOME nor XDG_CACHE_HOME is set";
        }
        return report;
    }
    // Write then rename, so a process starting meanwhile never loads half a file.
    const std::filesystem::path& path = wisdomFile;
    std::error_code error;
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path(), error);
    }
    const std::string temporary = path.string() + ".tmp" + std::to_string(::getpid());
    bool written = false;
    {
        const std::lock_guard lock(plannerMutex());
        written = fftwf_export_wisdom_to_filename(temporary.c_str()) != 0;
    }
    if (written) {
        std::filesystem::rename(temporary, path, error);
        written = !error;
    }
    if (!written) {
        std::filesystem::remove(temporary, error);
        if (report.error.empty()) {
            report.error = "could not write FFTW wisdom file " + report.wisdomPath;
        }
        report.wisdomPath.clear();
    }
    return report;
}

} // namespace blurcam
