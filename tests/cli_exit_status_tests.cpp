// Exit statuses and messages: a mistake on the command line is exit 2 before anything is opened,
// an option that would do nothing is refused, a closed standard output is a quiet exit 1, every
// cause is in blurcam's words on one line, and no library adds text of its own.
#include "cli_test_support.hpp"
#include "test_requirements.hpp"

#include "file_access.hpp"
#include "output_files.hpp"
#include "quoted.hpp"

#include <sys/resource.h>
#include <sys/stat.h>

#include <cstdlib>
#include <cstring>
#include <regex>

namespace blurcam::test {
namespace {

class CliExitStatus : public ::testing::Test {
  protected:
    /// Exit 2, one line on stderr that mentions mention, nothing on stdout, nothing written.
    void expectUsageError(const std::vector<std::string>& args, const std::string& mention) {
        SCOPED_TRACE(::testing::PrintToString(args));
        const CliRun run = runCli(args, m_dir.path());
        EXPECT_EQ(run.exitCode, 2) << describe(run);
        ASSERT_EQ(run.errLines().size(), 1U) << describe(run);
        EXPECT_NE(run.err.find(mention), std::string::npos) << describe(run);
        EXPECT_EQ(run.out, "") << describe(run);
        EXPECT_TRUE(fs::is_empty(m_dir.path())) << "nothing may be written";
    }

    ScratchDirectory m_dir;
};

TEST_F(CliExitStatus, MalformedInputsAndOutputsAreUsageErrors) {
    expectUsageError({"process", "--input", "camera:-1", "--output", "out/"}, "'camera:-1'");
    expectUsageError({"process", "--input", "pipewire:a b", "--output", "out/"}, "'pipewire:a b'");
    expectUsageError({"process", "--input", "pattern", "--output", "v4l2:"}, "'v4l2:'");
    expectUsageError({"process", "--input", "pattern", "--output", "pipewire:a b"}, "'pipewire:a b'");
    expectUsageError({"process", "--input", "pattern", "--output", "pipewire", "--record", "x.mp4"}, "'x.mp4'");
}

TEST_F(CliExitStatus, OptionsThatWouldDoNothingAreRefused) {
    expectUsageError({"process", "--input", "pattern", "--output", "out/", "--record", "x.avi"}, "--record");
    expectUsageError({"process", "--input", "pattern", "--output", "out/", "--mirror"}, "--mirror");
    expectUsageError({"process", "--input", "pattern", "--output", "out/", "--output-size", "64x48"}, "--output-size");
    expectUsageError({"process", "--input", "pattern", "--output", "out/", "--kernel", "binomial", "--sigma", "2"},
                     "--sigma");
    expectUsageError({"bench", "--kernel", "binomial", "--sigma", "2"}, "--sigma");
    expectUsageError({"process", "--input", "pattern", "--output", "out/", "--camera-mode", "640x480"},
                     "--camera-mode");
}

/// Runs blurcam-cli with its standard output a pipe whose reading end is already closed, as when
/// the program it was piped into has ended (`blurcam-cli help | true`); stderr to errFile.
int runIntoAClosedPipe(const std::vector<std::string>& args, const fs::path& errFile) {
    int ends[2];
    if (::pipe(ends) != 0) {
        return -1;
    }
    ::close(ends[0]);
    const CliCommandLine command(args);
    const std::vector<char*>& argv = command.argv;
    const pid_t child = ::fork();
    if (child == 0) {
        const int err = ::open(errFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (err < 0 || ::dup2(ends[1], 1) < 0 || ::dup2(err, 2) < 0) {
            ::_exit(126);
        }
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(ends[1]);
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST_F(CliExitStatus, AClosedStandardOutputIsAQuietFailureNotDeathBySigpipe) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"help"}, std::vector<std::string>{"help", "process"},
          std::vector<std::string>{"process", "--input", "pattern", "--frames", "2", "--output",
                                   (m_dir / "out.png").string()}}) {
        SCOPED_TRACE(::testing::PrintToString(args));
        const fs::path err = m_dir.path().string() + ".stderr";
        EXPECT_EQ(runIntoAClosedPipe(args, err), 1) << "141 is death by SIGPIPE";
        EXPECT_EQ(readText(err), "");
        fs::remove(err);
    }
}

TEST(Quoted, ControlCharactersAreEscapedSoEveryMessageIsOneLine) {
    EXPECT_EQ(app::quoted(std::string_view("a\nb\tc\rd\x1b"
                                           "e\x7f")),
              R"('a\nb\tc\rd\x1be\x7f')");
    EXPECT_EQ(app::quoted(std::string_view("caf\xc3\xa9 12:30.png")), "'caf\xc3\xa9 12:30.png'") << "UTF-8 is kept";
}

TEST_F(CliExitStatus, ANewlineInAFileNameNeverBreaksTheMessageLine) {
    const std::vector<std::vector<std::string>> cases{
        {"process", "--input", "a\nb.png", "--output", "x.png"},
        {"process", "--input", "pattern", "--frames", "1", "--output", "no\ndir/x.png"},
        {"process", "--input", "pattern", "--frames", "1", "--output", "no\ndir/x.avi"},
        {"process", "--input", "pattern", "--frames", "1", "--output", "x\n.txt"},
        {"process", "--input", "camera:\n", "--output", "x.png"},
    };
    for (const std::vector<std::string>& args : cases) {
        SCOPED_TRACE(::testing::PrintToString(args));
        const CliRun run = runCli(args, m_dir.path());
        EXPECT_NE(run.exitCode, 0) << describe(run);
        ASSERT_EQ(run.errLines().size(), 1U) << describe(run);
        EXPECT_NE(run.err.find("\\n"), std::string::npos) << "the newline is shown as \\n\n" << describe(run);
    }
}

TEST(ErrorWords, NoErrnoReachesTheUserAsTheCLibrarysText) {
    for (int error = 1; error < 134; ++error) {
        SCOPED_TRACE(error);
        const std::string library = std::strerror(error);
        EXPECT_EQ(app::describeFileError(error).find(library), std::string::npos) << app::describeFileError(error);
        EXPECT_EQ(app::cannotOpenSentence("x", error).find(library), std::string::npos)
            << app::cannotOpenSentence("x", error);
    }
    EXPECT_EQ(app::describeFileError(EBADF), "the file is not open for that");
    EXPECT_EQ(app::describeFileError(EISDIR), "it is a folder");
}

TEST_F(CliExitStatus, RunningOutOfMemoryIsSaidInWordsNotStdBadAlloc) {
    // 1.5 GiB of address space: an FFT of a 16000x16000 frame needs several times that. A
    // sanitizer reserves terabytes of shadow memory, so under one the cap is its own allocation
    // limit instead (an allocation over it fails as malloc and new would), and its warning line
    // about that allocation is not blurcam's.
    const char* inherited = std::getenv("ASAN_OPTIONS");
    const std::string asanOptions =
        std::string(inherited != nullptr ? inherited : "") + ":max_allocation_size_mb=1536:allocator_may_return_null=1";
    const auto addressSpaceLimit = [&asanOptions] {
#if defined(__SANITIZE_ADDRESS__)
        ::setenv("ASAN_OPTIONS", asanOptions.c_str(), 1);
#else
        (void)asanOptions;
        const rlimit limit{1536UL << 20, 1536UL << 20};
        if (::setrlimit(RLIMIT_AS, &limit) != 0) {
            ::_exit(125);
        }
#endif
    };
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"bench", "--backend", "fft", "--size", "16000x16000", "--frames", "1"},
          std::vector<std::string>{"plan", "--size", "16000x16000"}}) {
        SCOPED_TRACE(::testing::PrintToString(args));
        const ScopedEnvironment wisdom("BLURCAM_FFTW_WISDOM", (m_dir / "wisdom").string());
        CliRun run = runCli(args, m_dir.path(), addressSpaceLimit);
#if defined(__SANITIZE_ADDRESS__)
        run.err = std::regex_replace(run.err,
                                     std::regex("==[0-9]+==WARNING: AddressSanitizer failed to allocate[^\n]*\n"), "");
#endif
        EXPECT_EQ(run.exitCode, 1) << describe(run);
        ASSERT_EQ(run.errLines().size(), 1U) << describe(run);
        EXPECT_NE(run.err.find("not enough memory for a "), std::string::npos) << describe(run);
        EXPECT_NE(run.err.find("16000x16000 frame"), std::string::npos) << describe(run);
        EXPECT_EQ(run.err.find("bad_alloc"), std::string::npos) << describe(run);
    }
}

TEST_F(CliExitStatus, AnUnusableCacheFolderAddsNoDriverTextToStderr) {
    const std::vector<std::string> args{"process",  "--backend", "vulkan",   "--input", "pattern",
                                        "--frames", "2",         "--output", "out/"};
    {
        const CliRun plain = runCli(args, m_dir.path());
        REQUIRE_OR_SKIP(plain.exitCode == 0, "a Vulkan device to start a driver: " + plain.err);
        fs::remove_all(m_dir / "out");
    }
    writeBytes(m_dir / "a-file", {'x'});
    ASSERT_EQ(::mkfifo((m_dir / "a-fifo").c_str(), 0644), 0);
    for (const std::string cache : {"a-file", "a-fifo", "a-file/below"}) {
        SCOPED_TRACE(cache);
        const ScopedEnvironment xdg("XDG_CACHE_HOME", (m_dir / cache).string());
        const CliRun run = runCli(args, m_dir.path());
        EXPECT_EQ(run.exitCode, 0) << describe(run);
        EXPECT_EQ(run.err, "") << describe(run);
        fs::remove_all(m_dir / "out");
    }
}

} // namespace
} // namespace blurcam::test
