// libFuzzer target: arbitrary bytes as every kind of file the CLI and the app read (PNG, JPEG,
// BMP, AVI, MP4). The image header checks run on the bytes directly; then opening and reading must
// end in a frame, the end of the stream or one sentence of blurcam's, and nothing may throw.
// An input whose first byte is 0xFF is a recipe instead (video_maker.hpp): a valid video of the
// size, pixel format and codec it chooses, which must be read whole, every frame at that size.
#include "exif_orientation.hpp"
#include "frame_source.hpp"
#include "image_header_checks.hpp"
#include "opencv_calls.hpp"
#include "video_maker.hpp"

extern "C" {
#include <libavutil/cpu.h>
}

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

/// One line of blurcam's naming the file, never a library's text (OpenCV's messages carry
/// "OpenCV(4.6.0)" and newlines).
void requireSentence(const std::string& text, const std::string& path, const char* what) {
    if (text.empty() || text.find(path) == std::string::npos || text.find('\n') != std::string::npos ||
        text.find("OpenCV") != std::string::npos) {
        std::fprintf(stderr, "%s is not one sentence naming %s: [%s]\n", what, path.c_str(), text.c_str());
        std::abort();
    }
}

/// The structure-aware mode: writes the recipe's video and reads it back.
void readMadeVideo(const std::string& path, const std::uint8_t* data, std::size_t size) {
    constexpr std::size_t kRecipeBytes = 5;
    const blurcam::fuzz::VideoRecipe recipe = blurcam::fuzz::recipeFrom(data, size);
    const std::uint8_t* pixels = data + std::min(size, kRecipeBytes);
    if (!blurcam::fuzz::writeVideo(path, recipe, pixels, size - std::min(size, kRecipeBytes))) {
        std::remove(path.c_str());
        return; // a combination the encoder or container does not take
    }
    blurcam::app::OpenedSource opened = blurcam::app::openFrameSource(path);
    if (!opened.source) {
        std::fprintf(stderr, "a valid %dx%d %s video from %s cannot be opened: %s\n", recipe.width, recipe.height,
                     av_get_pix_fmt_name(recipe.pixels), recipe.encoder, opened.error.c_str());
        std::abort();
    }
    cv::Mat frame;
    int frames = 0;
    for (blurcam::app::ReadStatus status;
         (status = opened.source->read(frame)) != blurcam::app::ReadStatus::EndOfStream;) {
        if (status != blurcam::app::ReadStatus::Frame || frame.type() != CV_8UC4 ||
            frame.size() != cv::Size(recipe.width, recipe.height) || ++frames > recipe.frames) {
            std::fprintf(stderr, "frame %d of a valid %dx%d %s video from %s: status %d, %dx%d: %s\n", frames + 1,
                         recipe.width, recipe.height, av_get_pix_fmt_name(recipe.pixels), recipe.encoder,
                         static_cast<int>(status), frame.cols, frame.rows, opened.source->error().c_str());
            std::abort();
        }
    }
    if (frames != recipe.frames) {
        std::fprintf(stderr, "a valid %s video from %s of %d frames gave %d\n", av_get_pix_fmt_name(recipe.pixels),
                     recipe.encoder, recipe.frames, frames);
        std::abort();
    }
    std::remove(path.c_str());
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    // What a fixed -seed run explores must not depend on thread timing (scripts/ci-hardening.sh
    // fuzz). FFmpeg decodes on one thread per CPU by default, and when a worker reports a damaged
    // packet then races with the reads; one decoder thread keeps the coverage reproducible.
    av_cpu_force_count(1);
    // OpenCV's own worker threads (colour conversion) allocate at moments that depend on timing,
    // and libFuzzer counts every thread's allocations to decide when to look for leaks.
    cv::setNumThreads(0);
    blurcam::app::silenceLibraryLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::vector<std::uint8_t> bytes(data + 1, data + size);
    (void)blurcam::app::exifOrientation(bytes); // must stay within the bytes, whatever they claim
    // The checks that guard cv::imdecode, on their own: they must not read out of bounds, and
    // nothing without a PNG, JPEG or BMP signature may pass them.
    if (blurcam::app::imageHeaderProblem(bytes).empty() && !blurcam::app::hasSupportedImageSignature(bytes)) {
        std::fprintf(stderr, "bytes without an image signature passed the header checks\n");
        std::abort();
    }

    // The same path on every run where the CI stage gives this process a directory of its own:
    // the path ends up in comparisons libFuzzer learns from, and a pid in it would make two runs
    // with one -seed explore differently. By hand (maybe several processes at once), the pid.
    static const std::string stem = [] {
        const char* workDir = std::getenv("BLURCAM_FUZZ_WORK_DIR");
        return workDir != nullptr ? std::string(workDir) + "/input"
                                  : "/tmp/blurcam-reader-fuzz-" + std::to_string(getpid());
    }();
    constexpr std::uint8_t kRecipeMode = 0xFF;
    if (data[0] == kRecipeMode) {
        readMadeVideo(stem + ".video", data + 1, size - 1);
        return 0;
    }
    static const char* extensions[] = {".png", ".jpg", ".bmp", ".avi", ".mp4"};
    const std::string path = stem + extensions[data[0] % 5];
    {
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
    blurcam::app::OpenedSource opened = blurcam::app::openFrameSource(path);
    if (opened.source) {
        cv::Mat frame;
        for (int frames = 0; frames < 8; ++frames) {
            const blurcam::app::ReadStatus status = opened.source->read(frame);
            if (status == blurcam::app::ReadStatus::Frame && (frame.type() != CV_8UC4 || frame.empty())) {
                std::fprintf(stderr, "a frame that is not RGBA8\n");
                std::abort();
            }
            if (status == blurcam::app::ReadStatus::BadFrame || status == blurcam::app::ReadStatus::Error) {
                requireSentence(opened.source->error(), path, "a read error");
            }
            if (status == blurcam::app::ReadStatus::EndOfStream || status == blurcam::app::ReadStatus::Error) {
                break;
            }
        }
        if (const std::string warning = opened.source->warning(); !warning.empty()) {
            requireSentence(warning, path, "a warning");
        }
    } else {
        requireSentence(opened.error, path, "an open error");
    }
    std::remove(path.c_str());
    return 0;
}
