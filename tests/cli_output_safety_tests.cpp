// Nothing the user had is lost: blurcam-cli run as a subprocess against full disks (a file size
// limit in the child, the way a quota or a full disk stops a write), folders that already hold
// frames, an input inside the output folder, signals mid-run, leftovers of killed runs, odd frame
// sizes and extreme rates for video, long names, and a standard output that cannot be written.
#include "cli_test_support.hpp"

#include "frame_times.hpp"
#include "output_files.hpp"

#include <sys/resource.h>

#include <cmath>
#include <csignal>
#include <cstdlib>
#include <map>
#include <regex>
#include <thread>

namespace blurcam::test {
namespace {

/// The one stderr line a failure gives: names what the user named, never a temporary.
void expectOneLineNaming(const CliRun& run, const std::string& mention) {
    ASSERT_EQ(run.errLines().size(), 1U) << describe(run);
    EXPECT_NE(run.err.find(mention), std::string::npos) << "stderr should name " << mention << "\n" << describe(run);
    EXPECT_EQ(run.err.find("blurcam-tmp"), std::string::npos) << "a temporary name was shown\n" << describe(run);
}

/// What the summary says was written: "output:    NAME (N frames, WxH...".
struct WrittenVideo {
    long long frames = -1;
    cv::Size size;
};

WrittenVideo summaryOfVideo(const std::string& out) {
    static const std::regex kLine(R"(output: +.* \((\d+) frames?, (\d+)x(\d+))");
    std::smatch match;
    if (!std::regex_search(out, match, kLine)) {
        return {};
    }
    return {std::stoll(match[1]), {std::stoi(match[2]), std::stoi(match[3])}};
}

class CliOutputSafety : public ::testing::Test {
  protected:
    ScratchDirectory m_dir;
};

// --- a full disk -----------------------------------------------------------------------------

TEST_F(CliOutputSafety, FullDiskDuringAVideoFailsAndKeepsThePreviousFile) {
    for (const std::string name : {"out.avi", "out.mkv", "out.mp4"}) {
        SCOPED_TRACE(name);
        writeBytes(m_dir / name, {'k', 'e', 'e', 'p'});
        const auto before = snapshot(m_dir.path());
        const CliRun run =
            runCli({"process", "--input", "pattern", "--frames", "40", "--stride", "1", "--output", name}, m_dir.path(),
                   FileSizeLimit{64 * 1024});
        EXPECT_EQ(run.exitCode, 1) << describe(run);
        expectOneLineNaming(run, name);
        EXPECT_NE(run.err.find("file size limit"), std::string::npos) << describe(run);
        EXPECT_EQ(snapshot(m_dir.path()), before) << "the earlier file must be untouched, and no temporary left";
    }
}

TEST_F(CliOutputSafety, FullDiskOnAnImageNamesTheCause) {
    writeBytes(m_dir / "out.png", {'k', 'e', 'e', 'p'});
    const auto before = snapshot(m_dir.path());
    const CliRun run =
        runCli({"process", "--input", "pattern", "--frames", "1", "--stride", "1", "--output", "out.png"}, m_dir.path(),
               FileSizeLimit{1000});
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    expectOneLineNaming(run, "out.png");
    EXPECT_NE(run.err.find("file size limit"), std::string::npos) << describe(run);
    EXPECT_EQ(run.err.find("writable?"), std::string::npos) << "a guess instead of the cause\n" << describe(run);
    EXPECT_EQ(snapshot(m_dir.path()), before);
}

TEST_F(CliOutputSafety, FullDiskDuringADirectoryRunLeavesTheFolderAsItWas) {
    fs::create_directories(m_dir / "frames");
    writeBytes(m_dir / "frames" / "notes.txt", {'m', 'i', 'n', 'e'});
    const auto before = snapshot(m_dir.path());
    const CliRun run =
        runCli({"process", "--input", "pattern", "--frames", "5", "--stride", "1", "--output", "frames/"}, m_dir.path(),
               FileSizeLimit{20 * 1024});
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    expectOneLineNaming(run, "frames/");
    EXPECT_NE(run.err.find("file size limit"), std::string::npos) << describe(run);
    EXPECT_EQ(snapshot(m_dir.path()), before);
}

TEST(OutputFiles, DiskErrorsAreNamedInPlainWords) {
    EXPECT_EQ(app::describeFileError(ENOSPC), "the disk is full");
    EXPECT_EQ(app::describeFileError(EFBIG), "the file size limit (ulimit -f) was reached");
    EXPECT_EQ(app::describeFileError(EACCES), "permission denied");
    EXPECT_EQ(app::describeFileError(ENOENT), "the folder does not exist");
}

TEST(FrameTimes, KeepsBoundedMemoryAndMeasuredPercentilesOverAnyRunLength) {
    cli::FrameTimes times;
    constexpr long long kFrames = 10 * static_cast<long long>(cli::FrameTimes::kCapacity) + 12345;
    for (long long frame = 0; frame < kFrames; ++frame) {
        times.add(static_cast<double>(frame % 1000)); // an even spread of 0..999
    }
    EXPECT_LE(times.samplesKept(), cli::FrameTimes::kCapacity);
    EXPECT_GE(times.samplesKept(), cli::FrameTimes::kCapacity / 4);
    EXPECT_NEAR(times.percentile(0.5), 499.0, 5.0);
    EXPECT_NEAR(times.percentile(0.99), 989.0, 5.0);
    EXPECT_EQ(times.percentile(0.5), std::floor(times.percentile(0.5))) << "a value that was added, not a mix";
}

// --- folders that already hold frames, and inputs inside the output -------------------------

TEST_F(CliOutputSafety, DirectoryOutputNeverReplacesItsInput) {
    fs::create_directories(m_dir / "dd");
    writeRgbaPng(m_dir / "dd" / "frame_000000.png", makeRgbaPicture(16, 16));
    const auto before = snapshot(m_dir.path());
    for (const bool overwrite : {false, true}) {
        std::vector<std::string> args{"process", "--input", "dd/frame_000000.png", "--output", "dd/"};
        if (overwrite) {
            args.emplace_back("--overwrite");
        }
        const CliRun run = runCli(args, m_dir.path());
        EXPECT_EQ(run.exitCode, 2) << describe(run);
        expectOneLineNaming(run, "frame_000000.png");
        EXPECT_EQ(snapshot(m_dir.path()), before) << (overwrite ? "with" : "without") << " --overwrite";
    }
}

TEST_F(CliOutputSafety, ImageOutputThatIsTheInputThroughALinkIsRefused) {
    writeRgbaPng(m_dir / "in.png", makeRgbaPicture(16, 16));
    fs::create_hard_link(m_dir / "in.png", m_dir / "alias.png");
    const auto before = snapshot(m_dir.path());
    const CliRun run = runCli({"process", "--input", "in.png", "--output", "alias.png"}, m_dir.path());
    EXPECT_EQ(run.exitCode, 2) << describe(run);
    expectOneLineNaming(run, "alias.png");
    EXPECT_EQ(snapshot(m_dir.path()), before);
}

TEST_F(CliOutputSafety, AFolderWithAnEarlierRunsFramesIsRefusedWithoutOverwrite) {
    ASSERT_EQ(runCli({"process", "--input", "pattern", "--frames", "6", "--output", "dd/"}, m_dir.path()).exitCode, 0);
    const auto before = snapshot(m_dir.path());
    const CliRun run =
        runCli({"process", "--input", "pattern", "--frames", "2", "--size", "64x48", "--output", "dd/"}, m_dir.path());
    EXPECT_EQ(run.exitCode, 2) << describe(run);
    expectOneLineNaming(run, "--overwrite");
    EXPECT_EQ(snapshot(m_dir.path()), before) << "two runs must never be mixed silently";
}

TEST_F(CliOutputSafety, OverwriteReplacesAllEarlierFramesOnlyAfterSuccess) {
    ASSERT_EQ(runCli({"process", "--input", "pattern", "--frames", "6", "--output", "dd/"}, m_dir.path()).exitCode, 0);
    writeBytes(m_dir / "dd" / "notes.txt", {'m', 'i', 'n', 'e'});
    const CliRun run =
        runCli({"process", "--input", "pattern", "--frames", "2", "--size", "64x48", "--output", "dd/", "--overwrite"},
               m_dir.path());
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    const std::set<std::string> expected{"dd", "dd/frame_000000.png", "dd/frame_000001.png", "dd/notes.txt"};
    EXPECT_EQ(m_dir.listing(), expected) << "the new run's frames only, and the user's other files";
    EXPECT_EQ(readRgba(m_dir / "dd" / "frame_000001.png").size(), cv::Size(32, 24));
    EXPECT_NE(run.out.find("replaced the 6 frames of an earlier run"), std::string::npos) << describe(run);
}

TEST_F(CliOutputSafety, AFailedOverwriteLeavesTheFolderExactlyAsItWas) {
    ASSERT_EQ(runCli({"process", "--input", "pattern", "--frames", "3", "--output", "dd/"}, m_dir.path()).exitCode, 0);
    const auto before = snapshot(m_dir.path());
    const CliRun run =
        runCli({"process", "--input", "pattern", "--frames", "5", "--stride", "1", "--output", "dd/", "--overwrite"},
               m_dir.path(), FileSizeLimit{20 * 1024});
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    expectOneLineNaming(run, "dd/");
    EXPECT_EQ(snapshot(m_dir.path()), before);
}

TEST_F(CliOutputSafety, AFrameNameThatCannotBeTakenRollsBackWithoutLosingTheUsersFiles) {
    // A folder where a frame file would go makes the commit fail half way. The frames moved in
    // before it must go out again, and the user's own frame comes back.
    for (const bool overwrite : {false, true}) {
        SCOPED_TRACE(overwrite ? "with --overwrite" : "without --overwrite");
        fs::remove_all(m_dir / "dd");
        fs::create_directories(m_dir / "dd" / "frame_000002.png");
        if (overwrite) {
            writeRgbaPng(m_dir / "dd" / "frame_000000.png", makeRgbaPicture(16, 16, 7));
        }
        const auto before = snapshot(m_dir.path());
        std::vector<std::string> args{"process", "--input", "pattern", "--frames", "4", "--output", "dd/"};
        if (overwrite) {
            args.emplace_back("--overwrite");
        }
        const CliRun run = runCli(args, m_dir.path());
        EXPECT_EQ(run.exitCode, 1) << describe(run);
        expectOneLineNaming(run, "frame_000002.png");
        EXPECT_EQ(snapshot(m_dir.path()), before);
    }
}

// --- video sizes and rates --------------------------------------------------------------------

TEST_F(CliOutputSafety, OddAndTinyVideoSizesAreWrittenWhatTheSummarySays) {
    // FFmpeg rounds odd sides down without a word and its MJPEG encoder aborts on frames
    // narrower than 8 pixels; blurcam pads, and the summary says so.
    for (const std::string name : {"v.avi", "v.mkv", "v.mp4"}) {
        for (const std::string size : {"1x1", "3x3", "4x4", "7x5", "101x101"}) {
            SCOPED_TRACE(name + " " + size);
            const CliRun run = runCli(
                {"process", "--input", "pattern", "--frames", "3", "--size", size, "--stride", "1", "--output", name},
                m_dir.path());
            ASSERT_EQ(run.exitCode, 0) << describe(run);
            const WrittenVideo summary = summaryOfVideo(run.out);
            cv::Size actual;
            EXPECT_EQ(countVideoFrames(m_dir / name, &actual), 3);
            EXPECT_EQ(summary.frames, 3) << describe(run);
            EXPECT_EQ(summary.size, actual) << describe(run);
            EXPECT_EQ(actual.width % 2, 0);
            EXPECT_EQ(actual.height % 2, 0);
            if (actual != cv::Size(std::stoi(size), std::stoi(size.substr(size.find('x') + 1)))) {
                EXPECT_NE(run.out.find("padded from " + size), std::string::npos) << describe(run);
            }
            fs::remove(m_dir / name);
        }
    }
}

TEST_F(CliOutputSafety, AVeryLowRateBecomesTheLowestTheEncoderAccepts) {
    writeTestVideo(m_dir / "in.avi", 3, {64, 48});
    const CliRun run =
        runCli({"process", "--input", "in.avi", "--every", "10000", "--output", "out.mp4"}, m_dir.path());
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_EQ(countVideoFrames(m_dir / "out.mp4"), 1);
    EXPECT_NE(run.out.find("the lowest rate encoders accept"), std::string::npos) << describe(run);
}

// --- names ------------------------------------------------------------------------------------

TEST_F(CliOutputSafety, TheLongestLegalFileNamesCanBeWritten) {
    for (const std::string extension : {".png", ".avi"}) {
        const std::string name = std::string(255 - extension.size(), 'n') + extension;
        SCOPED_TRACE(extension);
        const CliRun run = runCli({"process", "--input", "pattern", "--frames", "2", "--output", name}, m_dir.path());
        EXPECT_EQ(run.exitCode, 0) << describe(run);
        EXPECT_TRUE(fs::exists(m_dir / name));
        EXPECT_FALSE(hasTemporaryName(m_dir.listing()));
    }
}

TEST_F(CliOutputSafety, AMissingFolderIsNamedAsTheCause) {
    const CliRun run =
        runCli({"process", "--input", "pattern", "--frames", "1", "--output", "nowhere/out.png"}, m_dir.path());
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    expectOneLineNaming(run, "nowhere/out.png");
    EXPECT_NE(run.err.find("does not exist"), std::string::npos) << describe(run);
    EXPECT_TRUE(m_dir.listing().empty());
}

// --- signals and killed runs ------------------------------------------------------------------

/// Waits (polling, with a generous give-up guard, never a timing assertion) until the folder
/// holds a temporary: the run is then writing.
bool waitForATemporary(const ScratchDirectory& dir) {
    for (int attempt = 0; attempt < 6000; ++attempt) {
        if (hasTemporaryName(dir.listing())) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

TEST_F(CliOutputSafety, StopSignalsFinishTheOutputAndExitWith128PlusTheSignal) {
    for (const int signal : {SIGINT, SIGTERM, SIGHUP}) {
        SCOPED_TRACE(signal);
        RunningCli running =
            startCli({"process", "--input", "pattern", "--frames", "1000000000", "--output", "out.avi"}, m_dir.path());
        ASSERT_TRUE(waitForATemporary(m_dir));
        ::kill(running.pid, signal);
        const CliRun run = waitForCli(running);
        EXPECT_EQ(run.exitCode, 128 + signal) << describe(run);
        const WrittenVideo summary = summaryOfVideo(run.out);
        EXPECT_GT(summary.frames, 0) << describe(run);
        EXPECT_EQ(countVideoFrames(m_dir / "out.avi"), summary.frames);
        EXPECT_EQ(m_dir.listing(), std::set<std::string>{"out.avi"});
        fs::remove(m_dir / "out.avi");
    }
}

TEST_F(CliOutputSafety, TheNextRunRemovesWhatAKilledRunLeftButNotALiveRunsFiles) {
    RunningCli killed =
        startCli({"process", "--input", "pattern", "--frames", "1000000000", "--output", "out.avi"}, m_dir.path());
    ASSERT_TRUE(waitForATemporary(m_dir));
    ::kill(killed.pid, SIGKILL);
    (void)waitForCli(killed);
    ASSERT_TRUE(hasTemporaryName(m_dir.listing())) << "SIGKILL cannot be caught: its temporary stays";
    // A temporary of a process that still runs (this test) belongs to a run in progress.
    const std::string live = ".other.blurcam-tmp-" + std::to_string(::getpid()) + "-0.avi";
    writeBytes(m_dir / live, {'l', 'i', 'v', 'e'});

    const CliRun run = runCli({"process", "--input", "pattern", "--frames", "2", "--output", "out.avi"}, m_dir.path());
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_EQ(m_dir.listing(), (std::set<std::string>{"out.avi", live}));
}

// --- standard output ---------------------------------------------------------------------------

TEST_F(CliOutputSafety, AStandardOutputThatCannotBeWrittenIsAFailure) {
    const std::string command =
        std::string(BLURCAM_CLI_PATH) + " help > /dev/full 2> '" + (m_dir / "err").string() + "'";
    const int status = std::system(command.c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 1);
    EXPECT_NE(readText(m_dir / "err").find("standard output"), std::string::npos) << readText(m_dir / "err");
}

} // namespace
} // namespace blurcam::test
