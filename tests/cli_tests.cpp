// blurcam-cli run as a subprocess: every error path gives the right exit status, exactly one line
// on stderr naming the file or parameter, and leaves nothing behind; the success paths write
// what the engine computes.
#include "cli_test_support.hpp"
#include "test_requirements.hpp"

#include "frame_convert.hpp"
#include "frame_source.hpp"

#include "blurcam/blurcam.hpp"

#include <cstdlib>
#include <optional>
#include <regex>

namespace blurcam::test {
namespace {

class CliErrors : public ::testing::Test {
  protected:
    /// Runs the CLI, expects `exitCode`, one stderr line containing `mention`, nothing on stdout,
    /// and the directory exactly as it was before (no output, no temporary file).
    void expectCleanFailure(const std::vector<std::string>& args, int exitCode, const std::string& mention) {
        const std::set<std::string> before = m_dir.listing();
        const CliRun run = runCli(args, m_dir.path());
        EXPECT_EQ(run.exitCode, exitCode) << describe(run);
        ASSERT_EQ(run.errLines().size(), 1U) << describe(run);
        EXPECT_NE(run.err.find(mention), std::string::npos) << "stderr should name " << mention << "\n"
                                                            << describe(run);
        EXPECT_EQ(run.out, "") << describe(run);
        const std::set<std::string> after = m_dir.listing();
        EXPECT_EQ(after, before) << "the failed run left files behind";
        EXPECT_FALSE(hasTemporaryName(after));
    }

    ScratchDirectory m_dir;
};

TEST_F(CliErrors, MissingInputFile) {
    expectCleanFailure({"process", "--input", "nothere.png", "--output", "out.png"}, 1, "nothere.png");
}

TEST_F(CliErrors, TextFileNamedPng) {
    std::ofstream(m_dir / "notes.png") << "this is not a picture\n";
    expectCleanFailure({"process", "--input", "notes.png", "--output", "out.png"}, 1, "notes.png");
}

TEST_F(CliErrors, EmptyFile) {
    std::ofstream(m_dir / "empty.png").flush();
    expectCleanFailure({"process", "--input", "empty.png", "--output", "out.png"}, 1, "empty.png");
}

TEST_F(CliErrors, TruncatedPng) {
    writeRgbaPng(m_dir / "whole.png", makeRgbaPicture(120, 90));
    std::vector<unsigned char> bytes = readBytes(m_dir / "whole.png");
    bytes.resize(bytes.size() / 2);
    writeBytes(m_dir / "cut.png", bytes);
    expectCleanFailure({"process", "--input", "cut.png", "--output", "out.png"}, 1, "cut.png");
}

TEST_F(CliErrors, TruncatedJpeg) {
    cv::Mat bgr;
    cv::cvtColor(makeRgbaPicture(120, 90), bgr, cv::COLOR_RGBA2BGR);
    ASSERT_TRUE(cv::imwrite((m_dir / "whole.jpg").string(), bgr));
    std::vector<unsigned char> bytes = readBytes(m_dir / "whole.jpg");
    bytes.resize(bytes.size() * 2 / 3);
    writeBytes(m_dir / "cut.jpg", bytes);
    // libjpeg would "decode" this with grey fill and a warning; blurcam must refuse it.
    expectCleanFailure({"process", "--input", "cut.jpg", "--output", "out.png"}, 1, "cut.jpg");
}

TEST_F(CliErrors, CorruptVideo) {
    std::vector<unsigned char> garbage(20000);
    cv::RNG random(3);
    for (unsigned char& byte : garbage) {
        byte = static_cast<unsigned char>(random.uniform(0, 256));
    }
    writeBytes(m_dir / "garbage.avi", garbage);
    expectCleanFailure({"process", "--input", "garbage.avi", "--output", "out.avi"}, 1, "garbage.avi");
}

TEST_F(CliErrors, MissingCamera) {
    ASSERT_FALSE(fs::exists("/dev/video99")) << "this machine really has a /dev/video99";
    expectCleanFailure({"process", "--input", "camera:99", "--output", "out.png"}, 1, "camera 99");
}

TEST_F(CliErrors, MalformedCameraIsNotTakenForAFile) {
    // A malformed name is a mistake on the command line: exit 2, like any other.
    expectCleanFailure({"process", "--input", "camera:first", "--output", "out.png"}, 2, "'camera:first'");
    expectCleanFailure({"process", "--input", "pipewire:", "--output", "out.png"}, 2, "pipewire:NAME");
}

TEST_F(CliErrors, UnknownOption) {
    expectCleanFailure({"process", "--input", "pattern", "--output", "out.png", "--blurriness", "3"}, 2,
                       "--blurriness");
}

TEST_F(CliErrors, UnknownCommand) {
    expectCleanFailure({"blur"}, 2, "'blur'");
}

TEST_F(CliErrors, BadNumber) {
    expectCleanFailure({"process", "--input", "pattern", "--output", "out.png", "--sigma", "abc"}, 2,
                       "invalid --sigma 'abc': expected a number");
}

TEST_F(CliErrors, MissingValue) {
    expectCleanFailure({"process", "--input", "pattern", "--output", "out.png", "--ksize"}, 2, "--ksize");
}

TEST_F(CliErrors, EvenKernelSize) {
    expectCleanFailure({"process", "--input", "pattern", "--output", "out.png", "--ksize", "4"}, 2, "--ksize 4");
}

TEST_F(CliErrors, ZeroSigma) {
    expectCleanFailure({"process", "--input", "pattern", "--output", "out.png", "--sigma", "0"}, 2, "--sigma 0");
}

TEST_F(CliErrors, BadStrideEdgeAndSize) {
    expectCleanFailure({"bench", "--stride", "3"}, 2, "--stride 3");
    expectCleanFailure({"bench", "--edge", "smear"}, 2, "--edge 'smear'");
    expectCleanFailure({"process", "--input", "pattern", "--output", "o/", "--size", "12"}, 2, "--size '12'");
    expectCleanFailure({"process", "--input", "pattern", "--output", "o/", "--every", "0"}, 2, "--every '0'");
}

TEST_F(CliErrors, MissingInputOption) {
    expectCleanFailure({"process", "--output", "out.png"}, 2, "--input");
}

TEST_F(CliErrors, UnknownOutputKind) {
    expectCleanFailure({"process", "--input", "pattern", "--output", "out.txt"}, 2, "out.txt");
}

TEST_F(CliErrors, OutputDirectoryMissing) {
    expectCleanFailure({"process", "--input", "pattern", "--output", "no/such/dir/out.png", "--frames", "2"}, 1,
                       "no/such/dir/out.png");
    expectCleanFailure({"process", "--input", "pattern", "--output", "no/such/dir/out.avi", "--frames", "2"}, 1,
                       "no/such/dir/out.avi");
}

TEST_F(CliErrors, FailedRunKeepsAnEarlierOutputUntouched) {
    std::ofstream(m_dir / "out.png") << "an earlier result";
    std::ofstream(m_dir / "notes.png") << "not a picture";
    expectCleanFailure({"process", "--input", "notes.png", "--output", "out.png"}, 1, "notes.png");
    EXPECT_EQ(readText(m_dir / "out.png"), "an earlier result");
}

TEST_F(CliErrors, BackendThatCannotStartIsReported) {
    // Whether Vulkan and FFT are built depends on the configuration: either they run, or the
    // backend's own reason is the one line on stderr and nothing is written.
    for (const std::string backend : {"vulkan", "fft"}) {
        const std::set<std::string> before = m_dir.listing();
        const std::string output = backend + ".png";
        const CliRun run = runCli(
            {"process", "--input", "pattern", "--output", output, "--frames", "2", "--backend", backend}, m_dir.path());
        if (run.exitCode == 0) {
            EXPECT_TRUE(fs::exists(m_dir / output)) << describe(run);
            continue;
        }
        EXPECT_EQ(run.exitCode, 1) << describe(run);
        ASSERT_EQ(run.errLines().size(), 1U) << describe(run);
        EXPECT_NE(run.err.find("cannot start the " + backend + " backend"), std::string::npos) << describe(run);
        EXPECT_EQ(m_dir.listing(), before);
    }
}

// ---------------------------------------------------------------------------------------------

class CliProcess : public ::testing::Test {
  protected:
    ScratchDirectory m_dir;
};

TEST_F(CliProcess, PatternToDirectoryOfNumberedPngs) {
    const CliRun run = runCli({"process", "--input", "pattern", "--output", "frames/", "--frames", "7"}, m_dir.path());
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_EQ(run.err, "");
    EXPECT_NE(run.out.find("7 read, 7 processed, 0 failed"), std::string::npos) << run.out;
    std::set<std::string> expected{"frames"};
    for (int i = 0; i < 7; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "frames/frame_%06d.png", i);
        expected.insert(name);
        const cv::Mat frame = cv::imread((m_dir / name).string(), cv::IMREAD_UNCHANGED);
        EXPECT_EQ(frame.size(), cv::Size(320, 240)) << name;
        EXPECT_EQ(frame.channels(), 4) << name;
    }
    EXPECT_EQ(m_dir.listing(), expected);
}

TEST_F(CliProcess, PngInPngOutKeepsAlphaAndMatchesTheEngine) {
    const cv::Mat picture = makeRgbaPicture(97, 61);
    writeRgbaPng(m_dir / "in.png", picture);
    const CliRun run = runCli({"process", "--input", "in.png", "--output", "out.png", "--size", "64x48", "--sigma",
                               "1.5", "--ksize", "7", "--edge", "mirror", "--stride", "2"},
                              m_dir.path());
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_NE(run.out.find("1 read, 1 processed, 0 failed"), std::string::npos) << run.out;

    // The same frame through the same preparation and the engine, called directly.
    const cv::Mat prepared = app::prepareFrame(picture, app::FrameShape::CropToAspect, {64, 48});
    ASSERT_EQ(prepared.size(), cv::Size(64, 48));
    BlurParams params;
    params.sigma = 1.5;
    params.kernelSize = 7;
    params.edge = EdgeMode::Mirror;
    cv::Mat expected(24, 32, CV_8UC4);
    BackendResult made = createBackend(BackendKind::Cpu);
    ASSERT_TRUE(made.backend) << made.error;
    made.backend->process(app::toImageView(prepared), app::toMutableImageView(expected), params);

    const cv::Mat written = cv::imread((m_dir / "out.png").string(), cv::IMREAD_UNCHANGED);
    ASSERT_EQ(written.channels(), 4) << "PNG output must keep the alpha channel";
    const cv::Mat actual = readRgba(m_dir / "out.png");
    ASSERT_EQ(actual.size(), expected.size());
    cv::Mat difference;
    cv::absdiff(actual, expected, difference);
    EXPECT_EQ(cv::countNonZero(difference.reshape(1)), 0) << "the CLI's output differs from the engine's";
    std::vector<cv::Mat> channels;
    cv::split(actual, channels);
    double minAlpha = 0.0;
    double maxAlpha = 0.0;
    cv::minMaxLoc(channels[3], &minAlpha, &maxAlpha);
    EXPECT_LT(minAlpha, 100.0) << "the input's alpha ramp must survive";
    EXPECT_GT(maxAlpha, 150.0);
    EXPECT_EQ(m_dir.listing(), (std::set<std::string>{"in.png", "out.png"}));
}

TEST_F(CliProcess, JpegInputGetsOpaqueAlpha) {
    cv::Mat bgr;
    cv::cvtColor(makeRgbaPicture(40, 30), bgr, cv::COLOR_RGBA2BGR);
    ASSERT_TRUE(cv::imwrite((m_dir / "in.jpg").string(), bgr));
    const CliRun run = runCli({"process", "--input", "in.jpg", "--output", "out.png"}, m_dir.path());
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    const cv::Mat actual = readRgba(m_dir / "out.png");
    ASSERT_EQ(actual.size(), cv::Size(20, 15));
    std::vector<cv::Mat> channels;
    cv::split(actual, channels);
    EXPECT_EQ(cv::countNonZero(channels[3] != 255), 0);
}

TEST_F(CliProcess, PatternToImageWritesTheLastProcessedFrame) {
    const CliRun run = runCli(
        {"process", "--input", "pattern", "--output", "last.png", "--frames", "3", "--stride", "1"}, m_dir.path());
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    const cv::Mat last = app::renderTestPattern({640, 480}, 2);
    cv::Mat expected(480, 640, CV_8UC4);
    BlurParams params;
    params.stride = 1;
    blur(app::toImageView(last), app::toMutableImageView(expected), params);
    cv::Mat difference;
    cv::absdiff(readRgba(m_dir / "last.png"), expected, difference);
    EXPECT_EQ(cv::countNonZero(difference.reshape(1)), 0);
}

TEST_F(CliProcess, VideoInVideoOutKeepsTheFrameCount) {
    writeTestVideo(m_dir / "in.avi", 12, {160, 120});
    ASSERT_EQ(countVideoFrames(m_dir / "in.avi"), 12);
    const CliRun run = runCli({"process", "--input", "in.avi", "--output", "out.avi"}, m_dir.path());
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_NE(run.out.find("12 read, 12 processed, 0 failed"), std::string::npos) << run.out;
    cv::Size size;
    EXPECT_EQ(countVideoFrames(m_dir / "out.avi", &size), 12);
    EXPECT_EQ(size, cv::Size(80, 60));
    EXPECT_EQ(m_dir.listing(), (std::set<std::string>{"in.avi", "out.avi"}));
}

TEST_F(CliProcess, EveryTwoHalvesTheProcessedCount) {
    writeTestVideo(m_dir / "in.avi", 12, {160, 120});
    const CliRun run = runCli({"process", "--input", "in.avi", "--output", "out.mp4", "--every", "2"}, m_dir.path());
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_NE(run.out.find("12 read, 6 processed, 0 failed"), std::string::npos) << run.out;
    EXPECT_EQ(countVideoFrames(m_dir / "out.mp4"), 6);

    const CliRun pattern =
        runCli({"process", "--input", "pattern", "--output", "p/", "--frames", "9", "--every", "2"}, m_dir.path());
    ASSERT_EQ(pattern.exitCode, 0) << describe(pattern);
    EXPECT_NE(pattern.out.find("9 read, 5 processed"), std::string::npos) << pattern.out;
    EXPECT_TRUE(fs::exists(m_dir / "p/frame_000004.png"));
    EXPECT_FALSE(fs::exists(m_dir / "p/frame_000005.png"));
}

TEST_F(CliProcess, CorruptFrameInTheMiddleCountsAsFailedAndReadingGoesOn) {
    writeTestVideo(m_dir / "in.avi", 12, {160, 120});
    // The sixth frame loses half its JPEG data.
    ASSERT_NO_FATAL_FAILURE(writeWithCorruptFrames(m_dir / "in.avi", 12, {5}, m_dir / "broken.avi"));

    const CliRun run = runCli({"process", "--input", "broken.avi", "--output", "frames/"}, m_dir.path());
    const std::optional<FrameCounts> counts = countsOf(run);
    ASSERT_TRUE(counts) << describe(run);
    EXPECT_EQ(counts->failed, 1) << run.out;
    EXPECT_EQ(counts->processed, 11) << run.out;
    ASSERT_EQ(run.errLines().size(), 1U) << describe(run);
    EXPECT_NE(run.err.find("broken.avi"), std::string::npos) << run.err;
    long long pngs = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(m_dir / "frames")) {
        ++pngs;
    }
    EXPECT_EQ(pngs, counts->processed);
}

TEST_F(CliProcess, TruncatedVideoKeepsTheFramesThereAreAndSaysItIsDamaged) {
    writeTestVideo(m_dir / "in.avi", 12, {160, 120});
    std::vector<unsigned char> bytes = readBytes(m_dir / "in.avi");
    bytes.resize(bytes.size() / 2);
    writeBytes(m_dir / "cut.avi", bytes);
    const CliRun run = runCli({"process", "--input", "cut.avi", "--output", "out.avi"}, m_dir.path());
    const std::optional<FrameCounts> counts = countsOf(run);
    ASSERT_TRUE(counts) << describe(run);
    // A frame fails only when the decoder fails on it: the missing half is not counted (the
    // header's 12 is no promise; for a variable-frame-rate file it is not even a count).
    EXPECT_GT(counts->processed, 0) << run.out;
    EXPECT_LE(counts->read, 7) << run.out;
    EXPECT_EQ(counts->processed + counts->failed, counts->read) << run.out;
    // The last frame is cut inside its data; the decoder reports that, and blurcam says so once.
    ASSERT_EQ(run.errLines().size(), 1U) << describe(run);
    EXPECT_NE(run.err.find("warning: 'cut.avi'"), std::string::npos) << run.err;
    EXPECT_EQ(countVideoFrames(m_dir / "out.avi"), counts->processed);
    EXPECT_EQ(m_dir.listing(), (std::set<std::string>{"in.avi", "cut.avi", "out.avi"}));
}

TEST_F(CliProcess, BenchPrintsMedianAndP99) {
    const CliRun run = runCli({"bench", "--size", "64x48", "--frames", "20", "--ksize", "3"}, m_dir.path());
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    const std::regex line("per frame: median ([0-9.]+) ms, p99 ([0-9.]+) ms");
    std::smatch match;
    ASSERT_TRUE(std::regex_search(run.out, match, line)) << run.out;
    EXPECT_LE(std::stod(match[1]), std::stod(match[2]));
    EXPECT_NE(run.out.find("64x48 -> 32x24"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("20 timed"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("compute"), std::string::npos) << run.out;
    EXPECT_TRUE(m_dir.listing().empty());
}

TEST_F(CliProcess, DevicesListsCamerasAndGpus) {
    const CliRun run = runCli({"devices"}, m_dir.path());
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_NE(run.out.find("Cameras:"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("Vulkan devices:"), std::string::npos) << run.out;
    const GpuDeviceList gpus = listGpuDevices();
    if (gpus.devices.empty()) {
        EXPECT_NE(run.out.find(gpus.error), std::string::npos) << "the reason there is no GPU must be printed";
    }
    for (const GpuDevice& gpu : gpus.devices) {
        EXPECT_NE(run.out.find(gpu.name), std::string::npos) << gpu.name;
    }
}

TEST_F(CliProcess, HelpForEveryCommand) {
    const CliRun overview = runCli({"--help"}, m_dir.path());
    ASSERT_EQ(overview.exitCode, 0);
    for (const std::string command : {"process", "bench", "plan", "devices"}) {
        EXPECT_NE(overview.out.find(command), std::string::npos) << command;
        const CliRun help = runCli({command, "--help"}, m_dir.path());
        EXPECT_EQ(help.exitCode, 0) << describe(help);
        EXPECT_NE(help.out.find("usage: blurcam-cli " + command), std::string::npos) << help.out;
        EXPECT_EQ(runCli({"help", command}, m_dir.path()).out, help.out);
    }
}

TEST(CliPlan, MeasuresSavesWisdomAndKnowsTheSizesTheSecondTime) {
    ScratchDirectory dir;
    const fs::path wisdom = dir / "cache" / "wisdom";
    const ScopedEnvironment environment("BLURCAM_FFTW_WISDOM", wisdom.string());
    const std::vector<std::string> args{"plan",    "--size", "64x48",        "--size=100x80",
                                        "--ksize", "7",      "--time-limit", "0.5"};
    const CliRun first = runCli(args, dir.path());
    const BackendResult fft = createBackend(BackendKind::Fft);
    if (!fft.backend) {
        // A build without FFTW says so in one line and fails.
        EXPECT_EQ(first.exitCode, 1) << describe(first);
        EXPECT_EQ(first.errLines().size(), 1U) << describe(first);
        EXPECT_NE(first.err.find("FFT"), std::string::npos) << describe(first);
        REQUIRE_OR_SKIP(false, "an FFT backend in this build: " + fft.error);
    }
    ASSERT_EQ(first.exitCode, 0) << describe(first);
    EXPECT_EQ(first.err, "");
    EXPECT_NE(first.out.find("64x48, 100x80"), std::string::npos) << first.out;
    EXPECT_NE(first.out.find("Measured 4 of 4 transforms"), std::string::npos) << first.out;
    EXPECT_NE(first.out.find("Wisdom: " + wisdom.string()), std::string::npos) << first.out;
    ASSERT_TRUE(fs::exists(wisdom));
    EXPECT_GT(fs::file_size(wisdom), 0U);

    const CliRun second = runCli(args, dir.path());
    ASSERT_EQ(second.exitCode, 0) << describe(second);
    EXPECT_NE(second.out.find("All 4 transforms were already known"), std::string::npos) << second.out;

    // A new stride means new transform sizes: measured, while the old ones stay known.
    std::vector<std::string> stride1 = args;
    stride1.insert(stride1.end(), {"--stride", "1"});
    const CliRun third = runCli(stride1, dir.path());
    ASSERT_EQ(third.exitCode, 0) << describe(third);
    EXPECT_NE(third.out.find("Measured"), std::string::npos) << third.out;
}

TEST_F(CliErrors, PlanRejectsBadSizesAndOptionsItDoesNotTake) {
    expectCleanFailure({"plan", "--size", "0x10"}, 2, "--size");
    expectCleanFailure({"plan", "--size", "native"}, 2, "--size");
    expectCleanFailure({"plan", "--backend", "fft"}, 2, "--backend");
    expectCleanFailure({"plan", "--time-limit", "0"}, 2, "--time-limit");
}

TEST(CliPlan, HelpDescribesThePlanCommand) {
    ScratchDirectory dir;
    const CliRun overview = runCli({"help"}, dir.path());
    EXPECT_NE(overview.out.find("  plan "), std::string::npos) << overview.out;
    const CliRun plan = runCli({"plan", "--help"}, dir.path());
    EXPECT_EQ(plan.exitCode, 0);
    EXPECT_NE(plan.out.find("--size WxH"), std::string::npos) << plan.out;
    EXPECT_NE(plan.out.find("BLURCAM_FFTW_WISDOM"), std::string::npos) << plan.out;
}

} // namespace
} // namespace blurcam::test
