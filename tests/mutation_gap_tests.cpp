// Behaviours of the app core and blurcam-cli that a mutation audit (issue 26) found no test
// pinned down: each test here fails on one of the patches in tests/mutants/ that the rest of the
// suite let through. scripts/mutation-check.sh runs them against every patch.
#include "cli_test_support.hpp"

#include "area_resize.hpp"
#include "frame_convert.hpp"
#include "frame_writer.hpp"
#include "image_header_checks.hpp"
#include "output_files.hpp"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace blurcam::test {
namespace {

namespace fs = std::filesystem;

/// Bytes from a fixed generator (xorshift32): the same picture with every library.
cv::Mat xorshiftNoise(cv::Size size, std::uint32_t state) {
    cv::Mat picture(size, CV_8UC4);
    for (int y = 0; y < size.height; ++y) {
        auto* row = picture.ptr<std::uint8_t>(y);
        for (int x = 0; x < size.width * 4; ++x) {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            row[x] = static_cast<std::uint8_t>(state >> 24);
        }
    }
    return picture;
}

cv::Mat areaResized(const cv::Mat& source, cv::Size to) {
    cv::Mat actual(to, CV_8UC4);
    app::AreaResizer resizer;
    resizer.resize(app::toImageView(source), app::toMutableImageView(actual));
    return actual;
}

// ---- Area resize: the rounding, not only "within one level" ----

/// The box average of each ratio x ratio block, rounded half up: INTER_AREA's value at an integer
/// ratio (OpenCV itself rounds ties to even at ratios 4 and 8, where a mean can end in .5). The
/// resizer's Q14 weights are exact for 2, 4 and 8 and close enough for 3 and 5 to give these
/// bytes; at 6 and 7 a byte can be one level off, which the header's bound allows.
cv::Mat boxAverage(const cv::Mat& source, int ratio) {
    cv::Mat average(source.rows / ratio, source.cols / ratio, CV_8UC4);
    const int area = ratio * ratio;
    for (int y = 0; y < average.rows; ++y) {
        for (int x = 0; x < average.cols; ++x) {
            for (int channel = 0; channel < 4; ++channel) {
                int sum = 0;
                for (int a = 0; a < ratio; ++a) {
                    for (int b = 0; b < ratio; ++b) {
                        sum += source.at<cv::Vec4b>(y * ratio + a, x * ratio + b)[channel];
                    }
                }
                average.at<cv::Vec4b>(y, x)[channel] = static_cast<std::uint8_t>((2 * sum + area) / (2 * area));
            }
        }
    }
    return average;
}

TEST(AreaResizeRounding, IntegerRatiosGiveTheRoundedBoxAverageExactly) {
    for (const int ratio : {2, 3, 4, 5, 8}) {
        const cv::Size to{64, 48};
        const cv::Mat source = xorshiftNoise({to.width * ratio, to.height * ratio}, 0x1234567U + ratio);
        const cv::Mat actual = areaResized(source, to);
        EXPECT_EQ(cv::norm(actual, boxAverage(source, ratio), cv::NORM_INF), 0.0) << "ratio " << ratio;
        if (ratio % 2 == 1) { // no ties: OpenCV's bytes too
            cv::Mat expected;
            cv::resize(source, expected, to, 0.0, 0.0, cv::INTER_AREA);
            EXPECT_EQ(cv::norm(actual, expected, cv::NORM_INF), 0.0) << "ratio " << ratio;
        }
    }
}

TEST(AreaResizeRounding, MeanSignedDifferenceFromInterAreaIsAboutZero) {
    // Non-integer ratios, where each output mixes partial pixels: a truncating pass shifts the
    // mean by a few thousandths of a level, which this sees over about a million bytes.
    for (const auto& [from, to] : std::vector<std::pair<cv::Size, cv::Size>>{
             {{960, 960}, {512, 512}}, {{1280, 720}, {426, 240}}, {{997, 611}, {330, 202}}}) {
        const cv::Mat source = xorshiftNoise(from, 0xC0FFEEU);
        cv::Mat expected;
        cv::resize(source, expected, to, 0.0, 0.0, cv::INTER_AREA);
        const cv::Mat actual = areaResized(source, to);
        cv::Mat difference;
        cv::subtract(actual, expected, difference, cv::noArray(), CV_32SC4);
        const cv::Scalar perChannel = cv::mean(difference);
        const double mean = (perChannel[0] + perChannel[1] + perChannel[2] + perChannel[3]) / 4.0;
        EXPECT_LT(std::abs(mean), 0.001) << from << " -> " << to << ": mean signed difference " << mean;
    }
}

// ---- Leftovers: a dead run's kept-aside frames are the user's data ----

TEST(LeftoverTemporaries, ADeadRunsPreviousFramesSurviveWhileItsTemporariesGo) {
    ScratchDirectory dir;
    const pid_t dead = deadProcessId();
    const std::string tag = ".frames.blurcam-tmp-" + std::to_string(dead);
    const fs::path keptAside = dir / (tag + "-3-previous");
    const fs::path staging = dir / (tag + "-2");
    const fs::path image = dir / (".out.blurcam-tmp-" + std::to_string(dead) + "-0.png");
    fs::create_directory(keptAside);
    std::ofstream(keptAside / "frame_000000.png") << "the user's earlier frame";
    fs::create_directory(staging);
    std::ofstream(staging / "frame_000000.png") << "half a run";
    std::ofstream(image) << "half a file";

    app::removeLeftoverTemporaries(dir.path());

    EXPECT_TRUE(fs::exists(keptAside / "frame_000000.png")) << "the kept-aside frames were deleted";
    EXPECT_FALSE(fs::exists(staging)) << "the dead run's staging folder stayed";
    EXPECT_FALSE(fs::exists(image)) << "the dead run's temporary image stayed";
}

// ---- A failed fsync or close is a failed run, with nothing left behind ----

std::vector<std::string> namesIn(const fs::path& directory) {
    std::vector<std::string> names;
    for (const fs::directory_entry& entry : fs::directory_iterator(directory)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string readAll(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

/// Sets an environment variable for the scope, and puts back what was there.
class ScopedVariable {
  public:
    ScopedVariable(const char* name, const std::string& value) : m_name(name) {
        if (const char* old = std::getenv(name); old != nullptr) {
            m_old = old;
        }
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedVariable() {
        if (m_old) {
            ::setenv(m_name, m_old->c_str(), 1);
        } else {
            ::unsetenv(m_name);
        }
    }
    ScopedVariable(const ScopedVariable&) = delete;
    ScopedVariable& operator=(const ScopedVariable&) = delete;

  private:
    const char* m_name;
    std::optional<std::string> m_old;
};

/// Runs blurcam-cli with the shim preloaded and variable (if any) set. They are set here, before
/// the fork, and put back after: this process has no shim loaded, so they change nothing in it.
/// What was preloaded already (the sanitizer presets preload a library) stays; ASan's check that
/// its runtime comes first in that list is turned off, since the shim now does.
CliRun runWithShim(const std::vector<std::string>& args, const fs::path& workDir, const char* variable) {
    const char* preloaded = std::getenv("LD_PRELOAD");
    const ScopedVariable preload("LD_PRELOAD", std::string(BLURCAM_FAIL_SYNC_SHIM_PATH) +
                                                   (preloaded != nullptr ? std::string(" ") + preloaded : ""));
    const char* asanOptions = std::getenv("ASAN_OPTIONS");
    const ScopedVariable asan("ASAN_OPTIONS", (asanOptions != nullptr ? std::string(asanOptions) + ":" : "") +
                                                  "verify_asan_link_order=0");
    const ScopedVariable failure(variable != nullptr ? variable : "BLURCAM_TEST_SHIM_IDLE", "1");
    return runCli(args, workDir);
}

TEST(SyncFailures, AFailedFsyncFailsTheRunAndLeavesNoOutput) {
    for (const std::string output : {"out.png", "frames/"}) {
        ScratchDirectory dir;
        const CliRun run =
            runWithShim({"process", "--input", "pattern", "--output", output, "--frames", "2", "--size", "64x48"},
                        dir.path(), "BLURCAM_TEST_FAIL_FSYNC");
        EXPECT_EQ(run.exitCode, 1) << output << "\n" << describe(run);
        EXPECT_NE(run.err.find("an input/output error on the disk"), std::string::npos) << describe(run);
        EXPECT_TRUE(namesIn(dir.path()).empty())
            << output << ": left " << ::testing::PrintToString(namesIn(dir.path()));
    }
}

TEST(SyncFailures, AFailedCloseFailsTheRunAndLeavesNoOutput) {
    ScratchDirectory dir;
    const CliRun run =
        runWithShim({"process", "--input", "pattern", "--output", "out.png", "--frames", "1", "--size", "64x48"},
                    dir.path(), "BLURCAM_TEST_FAIL_CLOSE");
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    EXPECT_NE(run.err.find("an input/output error on the disk"), std::string::npos) << describe(run);
    EXPECT_TRUE(namesIn(dir.path()).empty()) << ::testing::PrintToString(namesIn(dir.path()));
}

TEST(SyncFailures, WithoutTheVariablesTheShimChangesNothing) {
    ScratchDirectory dir;
    const CliRun run =
        runWithShim({"process", "--input", "pattern", "--output", "out.png", "--frames", "1", "--size", "64x48"},
                    dir.path(), nullptr);
    EXPECT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_EQ(namesIn(dir.path()), std::vector<std::string>{"out.png"});
}

// ---- Renames: replacing means replacing, and "never replace" means never ----

TEST(RenameFile, AnImageWrittenOverAnEarlierOneReplacesIt) {
    ScratchDirectory dir;
    std::ofstream(dir / "out.png") << "an earlier picture";
    const cv::Mat frame = xorshiftNoise({16, 12}, 3U);
    ASSERT_EQ(app::writeImageAtomically(dir / "out.png", frame), "");
    cv::Mat written = cv::imread((dir / "out.png").string(), cv::IMREAD_UNCHANGED);
    ASSERT_FALSE(written.empty()) << "out.png still holds the earlier file";
    cv::cvtColor(written, written, cv::COLOR_BGRA2RGBA);
    EXPECT_EQ(cv::norm(written, frame, cv::NORM_INF), 0.0);
    EXPECT_EQ(namesIn(dir.path()), std::vector<std::string>{"out.png"});
}

TEST(RenameFile, WithoutReplaceAnExistingNameIsKeptAndTheCauseSaid) {
    ScratchDirectory dir;
    std::ofstream(dir / "new.png") << "new";
    std::ofstream(dir / "taken.png") << "the user's";
    EXPECT_EQ(app::renameFile(dir / "new.png", dir / "taken.png", false), "a file of that name appeared meanwhile");
    EXPECT_EQ(readAll(dir / "taken.png"), "the user's");
    EXPECT_EQ(readAll(dir / "new.png"), "new");
    EXPECT_EQ(app::renameFile(dir / "new.png", dir / "free.png", false), "");
    EXPECT_EQ(readAll(dir / "free.png"), "new");
}

// ---- Folder output: earlier frames, and frames that appear while a run writes ----

TEST(FolderOutput, ASingleEarlierFrameIsRefusedWithoutOverwrite) {
    ScratchDirectory dir;
    std::ofstream(dir / "frame_000000.png") << "one earlier frame";
    const app::OpenedWriter opened = app::openFrameWriter(dir.path().string(), app::OutputKind::Directory);
    EXPECT_EQ(opened.writer, nullptr);
    EXPECT_TRUE(opened.conflict);
    EXPECT_NE(opened.error.find("already holds 1 frame "), std::string::npos) << opened.error;
    EXPECT_EQ(readAll(dir / "frame_000000.png"), "one earlier frame");
}

TEST(FolderOutput, AFrameThatAppearsBetweenWriteAndFinishIsRefusedAndKept) {
    ScratchDirectory dir;
    app::OpenedWriter opened = app::openFrameWriter(dir.path().string(), app::OutputKind::Directory);
    ASSERT_NE(opened.writer, nullptr) << opened.error;
    ASSERT_TRUE(opened.writer->write(xorshiftNoise({16, 12}, 7U))) << opened.writer->error();
    std::ofstream(dir / "frame_000000.png") << "another program's frame";

    EXPECT_FALSE(opened.writer->finish());
    EXPECT_NE(opened.writer->error().find("received frames from another program"), std::string::npos)
        << opened.writer->error();
    EXPECT_EQ(readAll(dir / "frame_000000.png"), "another program's frame");
    opened.writer.reset();
    EXPECT_EQ(namesIn(dir.path()), std::vector<std::string>{"frame_000000.png"}) << "a temporary stayed behind";
}

// ---- Image headers: the exact limit, and the cause named ----

std::vector<std::uint8_t> pngHeader(std::uint32_t width, std::uint32_t height) {
    std::vector<std::uint8_t> bytes{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    for (const std::uint32_t value : {width, height}) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes.push_back(static_cast<std::uint8_t>(value >> shift));
        }
    }
    bytes.insert(bytes.end(), {8, 6, 0, 0, 0, 0, 0, 0, 0}); // depth, RGBA, methods, CRC
    return bytes;
}

TEST(ImageHeaderLimits, SixteenThousandThreeHundredEightyFourIsTheLastSideAccepted) {
    EXPECT_EQ(app::imageSizeProblem(pngHeader(16384, 1)), "");
    EXPECT_EQ(app::imageSizeProblem(pngHeader(1, 16384)), "");
    EXPECT_EQ(app::imageSizeProblem(pngHeader(16384, 16384)), "");
    const std::string wide = app::imageSizeProblem(pngHeader(16385, 1));
    const std::string tall = app::imageSizeProblem(pngHeader(1, 16385));
    EXPECT_EQ(wide, "claims 16385x1 pixels, more than blurcam accepts (at most 16384 on a side)");
    EXPECT_EQ(tall, "claims 1x16385 pixels, more than blurcam accepts (at most 16384 on a side)");
}

std::vector<std::uint8_t> bmpHeader(std::uint32_t declaredFileSize) {
    std::vector<std::uint8_t> bytes(54, 0);
    const auto put32 = [&bytes](std::size_t at, std::uint32_t value) {
        for (int k = 0; k < 4; ++k) {
            bytes[at + static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(value >> (8 * k));
        }
    };
    bytes[0] = 'B';
    bytes[1] = 'M';
    put32(2, declaredFileSize);
    put32(10, 54); // pixels start right after the headers
    put32(14, 40); // BITMAPINFOHEADER
    put32(18, 2);
    put32(22, 2);
    bytes[26] = 1;  // planes
    bytes[28] = 32; // bits per pixel
    return bytes;
}

TEST(ImageHeaderLimits, ABmpCutShortOfItsDeclaredSizeSaysSo) {
    EXPECT_EQ(app::imageHeaderProblem(bmpHeader(54)), "");
    EXPECT_EQ(app::imageHeaderProblem(bmpHeader(70)), "is truncated (the BMP header says 70 bytes, the file has 54)");
}

// ---- Arguments: --overwrite belongs to process alone ----

TEST(OverwriteFlag, BenchAndPlanRefuseItAsAUsageError) {
    ScratchDirectory dir;
    for (const std::string command : {"bench", "plan"}) {
        const CliRun run = runCli({command, "--overwrite"}, dir.path());
        EXPECT_EQ(run.exitCode, 2) << command << "\n" << describe(run);
        EXPECT_NE(run.err.find("--overwrite"), std::string::npos) << describe(run);
    }
}

} // namespace
} // namespace blurcam::test
