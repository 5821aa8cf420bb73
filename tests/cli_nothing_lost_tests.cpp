// Nothing the user had is lost, part two: a recording (--record) follows the rules of every other
// output, two runs into one folder never mix, a commit that a SIGKILL cut short is finished or
// undone by the next run, the FFT wisdom file never replaces something that is not one, and a
// name FFmpeg could take for a URL is still just a file.
#include "cli_test_support.hpp"

#include "frame_recorder.hpp"

#include <sys/file.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>

namespace blurcam::test {
namespace {

/// The one stderr line a refusal or failure gives (the virtual camera's own status line aside),
/// naming what the user named and never a temporary.
void expectErrorNaming(const CliRun& run, const std::string& mention) {
    std::vector<std::string> lines;
    for (const std::string& line : run.errLines()) {
        if (line.find("PipeWire") == std::string::npos) {
            lines.push_back(line);
        }
    }
    ASSERT_EQ(lines.size(), 1U) << describe(run);
    EXPECT_NE(lines[0].find(mention), std::string::npos) << "stderr should name " << mention << "\n" << describe(run);
    EXPECT_EQ(run.err.find("blurcam-tmp"), std::string::npos) << "a temporary name was shown\n" << describe(run);
}

/// --output pipewire with no daemon to find: the stream waits for one, so a recording of a few
/// pattern frames runs to its end the same way every time, on any machine.
class CliRecording : public ::testing::Test {
  protected:
    CliRecording() : m_runtime("XDG_RUNTIME_DIR", (m_dir / "runtime").string()) {
        fs::create_directories(m_dir / "runtime");
        fs::permissions(m_dir / "runtime", fs::perms::owner_all, fs::perm_options::replace);
        fs::create_directories(m_dir / "work");
    }

    CliRun record(const std::string& record, std::vector<std::string> extra = {},
                  const std::string& input = "pattern") {
        std::vector<std::string> args{"process",  "--input", input,      "--output", "pipewire:blurcam-record-test",
                                      "--frames", "4",       "--record", record};
        args.insert(args.end(), extra.begin(), extra.end());
        return runCli(args, m_dir / "work");
    }
    template <typename ChildSetup>
    CliRun recordWith(const std::string& record, const ChildSetup& setup) {
        return runCli({"process", "--input", "pattern", "--output", "pipewire:blurcam-record-test", "--frames", "30",
                       "--stride", "1", "--record", record},
                      m_dir / "work", setup);
    }

    ScratchDirectory m_dir;
    ScopedEnvironment m_runtime;
};

TEST_F(CliRecording, ARecordingIsNeverTheInputUnderAnyName) {
    const fs::path work = m_dir / "work";
    ASSERT_EQ(runCli({"process", "--input", "pattern", "--frames", "5", "--output", "clip.avi"}, work).exitCode, 0);
    fs::create_hard_link(work / "clip.avi", work / "hard.avi");
    fs::create_symlink("clip.avi", work / "link.avi");
    const auto before = snapshot(work);
    for (const std::string name : {"clip.avi", "./clip.avi", "hard.avi", "link.avi"}) {
        for (const bool overwrite : {false, true}) {
            SCOPED_TRACE(name + (overwrite ? " --overwrite" : ""));
            const CliRun run = record(
                name, overwrite ? std::vector<std::string>{"--overwrite"} : std::vector<std::string>{}, "clip.avi");
            EXPECT_EQ(run.exitCode, 2) << describe(run);
            expectErrorNaming(run, "is the input file");
            EXPECT_EQ(snapshot(work), before);
        }
    }
}

TEST_F(CliRecording, AnExistingFileIsReplacedOnlyWithOverwriteAndOnlyOnceTheRecordingIsWhole) {
    const fs::path work = m_dir / "work";
    writeBytes(work / "take.avi", {'k', 'e', 'e', 'p'});
    const auto before = snapshot(work);
    const CliRun refused = record("take.avi");
    EXPECT_EQ(refused.exitCode, 2) << describe(refused);
    expectErrorNaming(refused, "--overwrite");
    EXPECT_EQ(snapshot(work), before);

    const CliRun replaced = record("take.avi", {"--overwrite"});
    ASSERT_EQ(replaced.exitCode, 0) << describe(replaced);
    EXPECT_EQ(countVideoFrames(work / "take.avi"), 4);
    EXPECT_EQ(snapshot(work).size(), 1U) << "no temporary is left";
}

TEST_F(CliRecording, ALinkAtTheNameIsReplacedNeverWrittenThrough) {
    const fs::path work = m_dir / "work";
    writeBytes(m_dir / "elsewhere.txt", {'m', 'i', 'n', 'e'});
    fs::create_symlink(m_dir / "elsewhere.txt", work / "take.avi");
    const CliRun run = record("take.avi", {"--overwrite"});
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_EQ(readText(m_dir / "elsewhere.txt"), "mine");
    EXPECT_FALSE(fs::is_symlink(work / "take.avi"));
    EXPECT_EQ(countVideoFrames(work / "take.avi"), 4);
}

TEST_F(CliRecording, ARecordingIntoAMissingFolderFailsBeforeTheStreamStarts) {
    const CliRun run = record("nodir/take.avi");
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    expectErrorNaming(run, "'nodir/take.avi': the folder does not exist");
    EXPECT_EQ(run.out.find("streaming"), std::string::npos) << describe(run);
    EXPECT_TRUE(fs::is_empty(m_dir / "work"));
}

TEST_F(CliRecording, ARecordingStoppedByAFullDiskFailsAndKeepsThePlayableFrames) {
    const CliRun run = recordWith("take.avi", FileSizeLimit{48 * 1024});
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    expectErrorNaming(run, "recording to 'take.avi' stopped: the disk is full");
    const long long kept = countVideoFrames(m_dir / "work" / "take.avi");
    EXPECT_GT(kept, 0) << "what was written before the disk filled up still plays";
    EXPECT_LT(kept, 30);
    EXPECT_EQ(snapshot(m_dir / "work").size(), 1U) << "no temporary is left";
}

TEST(Recorder, TheApiRefusesTheInputAndAnExistingFileAndRecordsUnderATemporaryName) {
    ScratchDirectory dir;
    const fs::path input = dir / "in.avi";
    writeBytes(input, {'i', 'n'});
    app::RecordingRules rules;
    rules.protectedFiles.push_back(input);
    app::OpenedSink asInput = app::openFrameRecorder(input.string(), {}, rules);
    EXPECT_EQ(asInput.sink, nullptr);
    EXPECT_TRUE(asInput.conflict) << asInput.error;
    rules.overwrite = true;
    asInput = app::openFrameRecorder((dir.path() / "." / "in.avi").string(), {}, rules);
    EXPECT_EQ(asInput.sink, nullptr);
    EXPECT_TRUE(asInput.conflict) << asInput.error;

    writeBytes(dir / "old.avi", {'o', 'l', 'd'});
    const app::OpenedSink existing = app::openFrameRecorder((dir / "old.avi").string(), {});
    EXPECT_EQ(existing.sink, nullptr);
    EXPECT_TRUE(existing.conflict) << existing.error;
    EXPECT_EQ(readText(dir / "old.avi"), "old");

    const fs::path path = dir / "new.avi";
    {
        app::OpenedSink opened = app::openFrameRecorder(path.string(), {});
        ASSERT_NE(opened.sink, nullptr) << opened.error;
        const cv::Mat frame(48, 64, CV_8UC4, cv::Scalar(10, 200, 30, 255));
        opened.sink->submit(frame, frame.size(), std::chrono::steady_clock::now());
        EXPECT_FALSE(fs::exists(path)) << "the recording appears under its name only when it is whole";
    }
    EXPECT_EQ(countVideoFrames(path), 1);
    EXPECT_EQ(dir.listing(), (std::set<std::string>{"in.avi", "old.avi", "new.avi"}));
}

// --- two runs into one folder, and a commit cut short ----------------------------------------

void writeText(const fs::path& path, const std::string& text) {
    writeBytes(path, std::vector<unsigned char>(text.begin(), text.end()));
}

class CliFolderCommit : public ::testing::Test {
  protected:
    /// Frames of a real run: count frames of the pattern at size, in folder.
    void makeFrames(const std::string& folder, int count, const std::string& size) {
        const CliRun run = runCli({"process", "--input", "pattern", "--frames", std::to_string(count), "--size", size,
                                   "--output", folder + "/"},
                                  m_dir.path());
        ASSERT_EQ(run.exitCode, 0) << describe(run);
    }
    static std::string frame(int index) {
        char name[32];
        std::snprintf(name, sizeof name, "frame_%06d.png", index);
        return name;
    }

    ScratchDirectory m_dir;
};

TEST_F(CliFolderCommit, ASecondRunIntoAFolderInUseIsRefused) {
    makeFrames("dd", 3, "32x24");
    const auto before = snapshot(m_dir.path());
    const int fd = ::open((m_dir / "dd").c_str(), O_RDONLY | O_DIRECTORY);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0) << "this test stands in for the first run";
    const CliRun run =
        runCli({"process", "--input", "pattern", "--frames", "2", "--output", "dd/", "--overwrite"}, m_dir.path());
    ::close(fd);
    EXPECT_EQ(run.exitCode, 2) << describe(run);
    ASSERT_EQ(run.errLines().size(), 1U) << describe(run);
    EXPECT_NE(run.err.find("another blurcam run is writing to 'dd/'"), std::string::npos) << describe(run);
    EXPECT_EQ(snapshot(m_dir.path()), before);

    const CliRun after =
        runCli({"process", "--input", "pattern", "--frames", "2", "--output", "dd/", "--overwrite"}, m_dir.path());
    EXPECT_EQ(after.exitCode, 0) << "the lock goes with the run that held it\n" << describe(after);
}

/// What a commit killed with SIGKILL leaves, planted by hand, for each phase the journal can say:
/// A (earlier frames half set aside), I (new frames half moved in), D (all new in, the set-aside
/// frames half deleted). The next run puts the folder back to all old (A, I) or all new (D).
TEST_F(CliFolderCommit, TheNextRunFinishesOrUndoesACommitThatWasKilled) {
    for (const char phase : {'A', 'I', 'D'}) {
        SCOPED_TRACE(std::string("phase ") + phase);
        fs::remove_all(m_dir / "dd");
        fs::remove_all(m_dir / "new");
        makeFrames("dd", 4, "32x24");
        makeFrames("new", 3, "64x48");
        const auto oldFrames = snapshot(m_dir / "dd");
        const auto newFrames = snapshot(m_dir / "new");
        const fs::path dd = m_dir / "dd";
        const std::string owner = std::to_string(deadProcessId());
        const std::string staging = ".frames.blurcam-tmp-" + owner + "-0";
        const std::string previous = ".frames.blurcam-tmp-" + owner + "-1-previous";
        fs::create_directory(dd / staging);
        fs::create_directory(dd / previous);
        for (int i = 0; i < 3; ++i) {
            fs::rename(m_dir / "new" / frame(i), dd / staging / frame(i));
        }
        const int setAside = phase == 'A' ? 2 : 4;
        for (int i = 0; i < setAside; ++i) {
            fs::rename(dd / frame(i), dd / previous / frame(i));
        }
        const int movedIn = phase == 'A' ? 0 : phase == 'I' ? 2 : 3;
        for (int i = 0; i < movedIn; ++i) {
            fs::rename(dd / staging / frame(i), dd / frame(i));
        }
        if (phase == 'D') {
            fs::remove(dd / previous / frame(0)); // deleting the replaced frames had begun
        }
        writeText(dd / (".frames.blurcam-tmp-" + owner + "-2-journal"),
                  std::string("phase ") + phase + "\nstaging " + staging + "\nprevious " + previous + "\n");
        // A run in progress (this test's own process id) keeps its temporaries.
        const std::string live = ".frames.blurcam-tmp-" + std::to_string(::getpid()) + "-0";
        fs::create_directory(dd / live);
        writeText(dd / live / frame(0), "live");

        const CliRun run = runCli({"process", "--input", "pattern", "--frames", "1", "--output", "dd/"}, m_dir.path());
        EXPECT_EQ(run.exitCode, 2) << "the folder holds frames again, so this run needs --overwrite\n" << describe(run);
        auto expected = phase == 'D' ? newFrames : oldFrames;
        expected[live] = "<folder>";
        expected[live + "/" + frame(0)] = "live";
        EXPECT_EQ(snapshot(dd), expected) << "all old or all new, never a mix, and nothing else left";
        fs::remove_all(dd / live);
    }
}

// --- the FFT wisdom file ---------------------------------------------------------------------

TEST(CliWisdom, OnlyARegularFileOrANewNameIsEverWrittenAndProcessSkipsTheRest) {
    ScratchDirectory dir;
    ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0644), 0);
    fs::create_directory(dir / "folder");
    fs::create_symlink("/dev/null", dir / "device");
    for (const std::string name : {"fifo", "folder", "device"}) {
        SCOPED_TRACE(name);
        const ScopedEnvironment wisdom("BLURCAM_FFTW_WISDOM", (dir / name).string());
        const CliRun plan = runCli({"plan", "--size", "16x16"}, dir.path());
        EXPECT_EQ(plan.exitCode, 1) << describe(plan);
        ASSERT_EQ(plan.errLines().size(), 1U) << describe(plan);
        EXPECT_NE(plan.err.find("cannot save FFTW wisdom to '" + (dir / name).string() + "'"), std::string::npos)
            << describe(plan);
        const CliRun process = runCli(
            {"process", "--backend", "fft", "--input", "pattern", "--frames", "1", "--output", "out.png"}, dir.path());
        EXPECT_EQ(process.exitCode, 0) << describe(process);
        EXPECT_EQ(process.err, "") << describe(process);
    }
    EXPECT_TRUE(fs::is_fifo(dir / "fifo"));
    EXPECT_TRUE(fs::is_directory(dir / "folder"));
    EXPECT_TRUE(fs::is_empty(dir / "folder"));
    ASSERT_TRUE(fs::is_symlink(dir / "device"));
    EXPECT_EQ(fs::read_symlink(dir / "device"), "/dev/null");

    // A link to a wisdom file is followed: the file is updated, the link stays.
    fs::create_directory(dir / "shared");
    fs::create_symlink(dir / "shared" / "wisdom", dir / "link");
    const ScopedEnvironment wisdom("BLURCAM_FFTW_WISDOM", (dir / "link").string());
    const CliRun plan = runCli({"plan", "--size", "16x16"}, dir.path());
    EXPECT_EQ(plan.exitCode, 0) << describe(plan);
    EXPECT_TRUE(fs::is_symlink(dir / "link"));
    EXPECT_TRUE(fs::is_regular_file(dir / "shared" / "wisdom"));
}

// --- names FFmpeg could take for a URL -------------------------------------------------------

TEST(CliNames, AColonInAVideoNameWithoutAFolderIsJustAFile) {
    ScratchDirectory dir;
    for (const std::string extension : {".avi", ".mp4", ".mkv"}) {
        const std::string name = "2024-01-01T12:30" + extension;
        SCOPED_TRACE(name);
        const CliRun run = runCli({"process", "--input", "pattern", "--frames", "3", "--output", name}, dir.path());
        ASSERT_EQ(run.exitCode, 0) << describe(run);
        EXPECT_EQ(run.err, "") << describe(run);
        EXPECT_EQ(countVideoFrames(dir.path() / name), 3) << "read back by its absolute path";
        EXPECT_EQ(dir.listing(), std::set<std::string>{name});
        fs::remove(dir / name);
    }
}

} // namespace
} // namespace blurcam::test
