// The library boundary (app/core/opencv_calls.hpp, video_file_input.hpp): no library exception and
// no library text ever reaches the user. Damaged files of every kind go through blurcam-cli as a subprocess, and stderr
// must be exactly one line of blurcam's; the GUI's way of reading files runs in a helper process
// that never silences anything itself; a frame counts as failed only when the decoder fails on it;
// and a file that cannot be opened says why (errno), not "no such file" or "unsupported format".
#include "cli_test_support.hpp"

#include "file_access.hpp"
#include "frame_source.hpp"
#include "opencv_calls.hpp"
#include "video_file_input.hpp"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <optional>

namespace blurcam::test {
namespace {

// ---- Damaged files, made here byte by byte ---------------------------------------------------

void appendBigEndian32(std::vector<unsigned char>& bytes, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        bytes.push_back(static_cast<unsigned char>(value >> shift));
    }
}

void appendPngChunk(std::vector<unsigned char>& png, const std::string& type, const std::vector<unsigned char>& data) {
    appendBigEndian32(png, static_cast<std::uint32_t>(data.size()));
    const std::size_t typeAt = png.size();
    png.insert(png.end(), type.begin(), type.end());
    png.insert(png.end(), data.begin(), data.end());
    appendBigEndian32(png, crc32(png.data() + typeAt, png.size() - typeAt));
}

/// An 8x4 RGB PNG whose rows all start with `filter`; 0 is valid, 5 and up are not, and libpng
/// then prints "libpng error: bad adaptive filter value" itself. The pixels go in a stored
/// (uncompressed) deflate block, so no zlib is needed here.
std::vector<unsigned char> pngWithRowFilter(std::uint32_t width, unsigned char filter) {
    const std::uint32_t height = 4;
    std::vector<unsigned char> raw;
    for (std::uint32_t y = 0; y < height; ++y) {
        raw.push_back(filter);
        for (std::uint32_t x = 0; x < 8 * 3; ++x) {
            raw.push_back(static_cast<unsigned char>(x * 10 + y));
        }
    }
    std::vector<unsigned char> zlib{0x78, 0x01, 0x01}; // zlib header; final stored block
    const auto length = static_cast<std::uint16_t>(raw.size());
    zlib.push_back(static_cast<unsigned char>(length & 0xFF));
    zlib.push_back(static_cast<unsigned char>(length >> 8));
    zlib.push_back(static_cast<unsigned char>(~length & 0xFF));
    zlib.push_back(static_cast<unsigned char>((~length >> 8) & 0xFF));
    zlib.insert(zlib.end(), raw.begin(), raw.end());
    std::uint32_t a = 1;
    std::uint32_t b = 0;
    for (const unsigned char byte : raw) {
        a = (a + byte) % 65521U;
        b = (b + a) % 65521U;
    }
    appendBigEndian32(zlib, (b << 16) | a);

    std::vector<unsigned char> png{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    std::vector<unsigned char> header;
    appendBigEndian32(header, width);
    appendBigEndian32(header, height);
    header.insert(header.end(), {8, 2, 0, 0, 0}); // 8 bit, RGB, deflate, adaptive filters, no interlace
    appendPngChunk(png, "IHDR", header);
    appendPngChunk(png, "IDAT", zlib);
    appendPngChunk(png, "IEND", {});
    return png;
}

std::vector<unsigned char> encodedPicture(const std::string& extension, int width = 64, int height = 48) {
    cv::Mat bgr;
    cv::cvtColor(makeRgbaPicture(width, height), bgr, cv::COLOR_RGBA2BGR);
    std::vector<unsigned char> bytes;
    EXPECT_TRUE(cv::imencode(extension, bgr, bytes));
    return bytes;
}

/// A JPEG with 147 bytes of filler before its end-of-image marker: libjpeg still decodes it and
/// prints "Corrupt JPEG data: 147 extraneous bytes before marker 0xd9".
std::vector<unsigned char> jpegWithExtraneousBytes() {
    std::vector<unsigned char> bytes = encodedPicture(".jpg");
    EXPECT_EQ(bytes[bytes.size() - 2], 0xFF);
    EXPECT_EQ(bytes[bytes.size() - 1], 0xD9);
    bytes.insert(bytes.end() - 2, 147, 0x00);
    return bytes;
}

/// A BMP whose headers agree with its length but whose pixel rows stop half-way: OpenCV's reader
/// throws inside imdecode and prints "imdecode_(''): can't read data: OpenCV(4.6.0) ...".
std::vector<unsigned char> bmpWithPixelsCutShort() {
    std::vector<unsigned char> bytes = encodedPicture(".bmp");
    bytes.resize(bytes.size() / 2);
    const auto size = static_cast<std::uint32_t>(bytes.size());
    for (int i = 0; i < 4; ++i) {
        bytes[2 + static_cast<std::size_t>(i)] = static_cast<unsigned char>(size >> (8 * i));
    }
    return bytes;
}

/// A BMP cut inside its info header (the file header's length field made to agree).
std::vector<unsigned char> bmpWithHeaderCutShort() {
    std::vector<unsigned char> bytes = encodedPicture(".bmp");
    bytes.resize(30);
    bytes[2] = 30;
    bytes[3] = bytes[4] = bytes[5] = 0;
    return bytes;
}

/// An MS-MPEG-4 v3 AVI (the codec FFmpeg's "[msmpeg4] ac-tex damaged" comes from) with bytes
/// flipped in the middle and its last third cut off: FFmpeg conceals the damage and logs errors.
void writeDamagedMsmpeg4Avi(const fs::path& path) {
    const fs::path whole = path.string() + ".whole.avi";
    {
        cv::VideoWriter writer(whole.string(), cv::CAP_FFMPEG, cv::VideoWriter::fourcc('M', 'P', '4', '3'), 25.0,
                               {160, 120}, true);
        ASSERT_TRUE(writer.isOpened()) << "no MS-MPEG-4 v3 encoder in this FFmpeg";
        for (int i = 0; i < 30; ++i) {
            cv::Mat bgr(120, 160, CV_8UC3);
            cv::randu(bgr, 0, 256); // detail, so every frame has data to damage
            cv::circle(bgr, {10 + i * 4, 60}, 20, cv::Scalar(255, 255, 255), cv::FILLED);
            cv::putText(bgr, std::to_string(i), {4, 20}, cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar(0, 0, 255));
            writer.write(bgr);
        }
    }
    std::vector<unsigned char> bytes = readBytes(whole);
    fs::remove(whole);
    // Damage inside the frames (the "movi" list), not the headers in front of them.
    const std::string movi = "movi";
    const auto found = std::search(bytes.begin(), bytes.end(), movi.begin(), movi.end());
    ASSERT_NE(found, bytes.end());
    const auto frames = static_cast<std::size_t>(found - bytes.begin());
    const std::size_t from = frames + (bytes.size() - frames) / 3;
    for (std::size_t at = from; at < from + 1500 && at < bytes.size(); at += 7) {
        bytes[at] ^= 0x5A;
    }
    bytes.resize(frames + (bytes.size() - frames) * 2 / 3);
    writeBytes(path, bytes);
}

/// A reader-fuzzer input from the corpus, as the file it stands for (the first byte picks the
/// extension: 0 .png, 1 .jpg, 2 .bmp, 3 .avi, 4 .mp4).
void writeCorpusInput(const std::string& corpusName, const fs::path& path) {
    const std::vector<unsigned char> input = readBytes(fs::path(BLURCAM_READER_CORPUS_DIR) / corpusName);
    ASSERT_GT(input.size(), 1U) << corpusName;
    writeBytes(path, std::vector<unsigned char>(input.begin() + 1, input.end()));
}

// ---- What the user sees ------------------------------------------------------------------------

/// Exactly one line on stderr, blurcam's, naming the file: no library text around it.
void expectOneBlurcamLine(const CliRun& run, const std::string& name) {
    const std::vector<std::string> lines = run.errLines();
    ASSERT_EQ(lines.size(), 1U) << describe(run);
    EXPECT_EQ(lines[0].rfind("blurcam-cli: ", 0), 0U) << describe(run);
    EXPECT_NE(lines[0].find(name), std::string::npos) << describe(run);
    for (const char* libraryText : {"OpenCV", "libpng", "Corrupt JPEG", "imdecode", "@ 0x", "FFMPEG"}) {
        EXPECT_EQ(run.err.find(libraryText), std::string::npos) << libraryText << "\n" << describe(run);
    }
}

class LibraryText : public ::testing::Test {
  protected:
    CliRun process(const std::string& name, const std::string& output = "out.png") {
        return runCli({"process", "--input", name, "--output", output}, m_dir.path());
    }
    ScratchDirectory m_dir;
};

TEST_F(LibraryText, DamagedJpegThatStillDecodesGivesOneWarningInsteadOfLibjpegText) {
    writeBytes(m_dir / "extra.jpg", jpegWithExtraneousBytes());
    const CliRun run = process("extra.jpg");
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    expectOneBlurcamLine(run, "extra.jpg");
    EXPECT_NE(run.err.find("warning:"), std::string::npos) << run.err;
    EXPECT_TRUE(fs::exists(m_dir / "out.png"));
}

TEST_F(LibraryText, PngWithABadFilterByteFailsInOneLineWithoutLibpngText) {
    writeBytes(m_dir / "filter.png", pngWithRowFilter(8, 7));
    const CliRun run = process("filter.png");
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    expectOneBlurcamLine(run, "filter.png");
}

TEST_F(LibraryText, ThePngMadeForTheseTestsIsValidWithAValidFilterByte) {
    // The control for the test above: only the filter byte is wrong there.
    writeBytes(m_dir / "good.png", pngWithRowFilter(8, 0));
    const CliRun run = process("good.png");
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_EQ(run.err, "");
}

TEST_F(LibraryText, PngWhoseHeaderClaimsZeroWidthFailsInOneLineWithoutLibpngText) {
    writeBytes(m_dir / "zero.png", pngWithRowFilter(0, 0));
    const CliRun run = process("zero.png");
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    expectOneBlurcamLine(run, "zero.png");
    EXPECT_NE(run.err.find("0x4"), std::string::npos) << run.err;
}

TEST_F(LibraryText, BmpWithItsHeaderCutShortFailsInOneLineWithoutOpenCvText) {
    writeBytes(m_dir / "cuthead.bmp", bmpWithHeaderCutShort());
    const CliRun run = process("cuthead.bmp");
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    expectOneBlurcamLine(run, "cuthead.bmp");
}

TEST_F(LibraryText, BmpWhoseDecoderThrowsMidwayFailsInOneLineWithoutOpenCvText) {
    writeBytes(m_dir / "cutpixels.bmp", bmpWithPixelsCutShort());
    const CliRun run = process("cutpixels.bmp");
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    expectOneBlurcamLine(run, "cutpixels.bmp");
}

TEST_F(LibraryText, DamagedMsmpeg4AviGivesOneWarningAndCountsNoFramesTheDecoderConcealed) {
    writeDamagedMsmpeg4Avi(m_dir / "damaged.avi");
    const CliRun run = process("damaged.avi", "frames/");
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    expectOneBlurcamLine(run, "damaged.avi");
    const std::optional<FrameCounts> counts = countsOf(run);
    ASSERT_TRUE(counts) << run.out;
    // The decoder concealed the damage in every frame it got, so none failed; the cut-off third
    // is not there to fail. (It used to count the frames the AVI header promised as failed.)
    EXPECT_GT(counts->processed, 0) << run.out;
    EXPECT_EQ(counts->failed, 0) << run.out;
    EXPECT_EQ(counts->read, counts->processed) << run.out;
    EXPECT_LT(counts->read, 30) << run.out;
}

// ---- The GUI's way in: openFrameSource without anyone silencing the libraries first -----------

/// Runs the helper that reads a file as the desktop app does; returns its stderr.
CliRun runProbe(const fs::path& file, const fs::path& workDir) {
    const fs::path errFile = workDir.string() + ".probe-stderr";
    const fs::path outFile = workDir.string() + ".probe-stdout";
    std::string probe = BLURCAM_NOISE_PROBE_PATH;
    std::string argument = file.string();
    std::vector<char*> argv{probe.data(), argument.data(), nullptr};
    CliRun run;
    const pid_t child = ::fork();
    if (child == 0) {
        const int out = ::open(outFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = ::open(errFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out < 0 || err < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) {
            ::_exit(126);
        }
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.out = readText(outFile);
    run.err = readText(errFile);
    fs::remove(outFile);
    fs::remove(errFile);
    return run;
}

TEST(LibraryTextInTheApp, ReadingDamagedFilesTheWayTheDesktopAppDoesPrintsNothing) {
    ScratchDirectory dir;
    writeDamagedMsmpeg4Avi(dir / "damaged.avi");
    writeBytes(dir / "extra.jpg", jpegWithExtraneousBytes());
    writeBytes(dir / "filter.png", pngWithRowFilter(8, 7));
    writeBytes(dir / "cutpixels.bmp", bmpWithPixelsCutShort());
    for (const char* name : {"damaged.avi", "extra.jpg", "filter.png", "cutpixels.bmp"}) {
        const CliRun run = runProbe(dir / name, dir.path());
        EXPECT_NE(run.out, "") << name << ": the probe did not run\n" << describe(run);
        EXPECT_EQ(run.err, "") << name << "\n" << describe(run);
    }
}

TEST(LibraryTextInTheApp, DecodingANoisyImageInThisProcessWritesNothingToStderr) {
    const std::vector<std::uint8_t> bytes = jpegWithExtraneousBytes();
    std::FILE* sink = std::tmpfile();
    ASSERT_NE(sink, nullptr);
    std::fflush(stderr);
    const int saved = ::dup(STDERR_FILENO);
    ASSERT_GE(::dup2(::fileno(sink), STDERR_FILENO), 0);
    cv::Mat decoded;
    const app::CallResult result = app::decodeImage(bytes, "extra.jpg", decoded);
    std::fflush(stderr);
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);
    std::fseek(sink, 0, SEEK_END);
    const long written = std::ftell(sink);
    std::fclose(sink);
    EXPECT_EQ(written, 0) << "libjpeg's complaint reached stderr";
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_EQ(decoded.size(), cv::Size(64, 48));
    EXPECT_NE(result.warning.find("'extra.jpg'"), std::string::npos) << result.warning;
}

// ---- Videos whose frame size changes ------------------------------------------------------------

// The reader fuzzer's find: an H.264 stream that starts at 16x16 and grows to 48x32. FFmpeg's
// probe reports the later size, the decoder's first pictures have the earlier one, and OpenCV's
// FFmpeg capture then wrapped a 16-pixel buffer as a 48-pixel Mat: cv::VideoCapture::read threw
// "_step >= minstep" on every frame, out of VideoSource::read. Decoded by FFmpeg directly, each
// picture is converted from its own size, to the first picture's size, so that every consumer (a
// video output above all) sees one size; warning() says so once.
TEST(VideoFileInput, AStreamWhoseFrameSizeChangesIsScaledToItsFirstSize) {
    ScratchDirectory dir;
    writeCorpusInput("h264-frame-size-change-step-assert", dir / "grows.mp4");
    app::VideoFileInput input;
    const app::CallResult opened = input.open((dir / "grows.mp4").string());
    ASSERT_TRUE(opened.ok) << opened.error;
    std::vector<cv::Size> sizes;
    cv::Mat frame;
    for (long long number = 1; number < 100; ++number) {
        const app::FrameRead read = input.read(frame, number);
        ASSERT_NE(read.kind, app::FrameReadKind::Broken) << read.error;
        if (read.kind == app::FrameReadKind::Nothing) {
            break;
        }
        ASSERT_EQ(frame.type(), CV_8UC4);
        sizes.push_back(frame.size());
    }
    EXPECT_EQ(sizes, std::vector<cv::Size>(8, cv::Size(16, 16)));
    EXPECT_EQ(input.warning(), "'" + (dir / "grows.mp4").string() +
                                   "' changes its frame size part way through (to 48x32 at frame 3); 6 frames were "
                                   "scaled to its first size, 16x16");
}

// Found by the fixed-seed CI run of the reader fuzzer: the same kind of stream, where only the
// height differs, made OpenCV's capture copy rows from past the end of its buffer (AddressSanitizer:
// heap-buffer-overflow in cv::Mat::copyTo under cv::VideoCapture::retrieve).
TEST(VideoFileInput, AStreamWhoseHeightChangesIsReadWithoutReadingPastABuffer) {
    ScratchDirectory dir;
    writeCorpusInput("h264-frame-height-change-heap-overread", dir / "taller.mp4");
    app::OpenedSource opened = app::openFrameSource((dir / "taller.mp4").string());
    ASSERT_TRUE(opened.source) << opened.error;
    cv::Mat frame;
    int frames = 0;
    app::ReadStatus status = app::ReadStatus::Frame;
    for (int reads = 0; reads < 100 && status != app::ReadStatus::EndOfStream; ++reads) {
        status = opened.source->read(frame);
        ASSERT_NE(status, app::ReadStatus::Error) << opened.source->error();
        if (status == app::ReadStatus::Frame) {
            ++frames;
            EXPECT_EQ(frame.type(), CV_8UC4);
        } else if (status == app::ReadStatus::BadFrame) {
            EXPECT_NE(opened.source->error().find("taller.mp4"), std::string::npos) << opened.source->error();
        }
    }
    EXPECT_EQ(status, app::ReadStatus::EndOfStream);
    EXPECT_GT(frames, 0);
}

TEST_F(LibraryText, TheCliProcessesEveryFrameOfAVideoWhoseFrameSizeChanges) {
    writeCorpusInput("h264-frame-size-change-step-assert", m_dir / "grows.mp4");
    const CliRun run = process("grows.mp4");
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_NE(run.out.find("8 read, 8 processed, 0 failed"), std::string::npos) << run.out;
    EXPECT_EQ(run.err, "blurcam-cli: warning: 'grows.mp4' changes its frame size part way through (to 48x32 at frame "
                       "3); 6 frames were scaled to its first size, 16x16\n");
}

// ---- Every OpenCV call: an exception becomes one sentence --------------------------------------

TEST(OpenCvCalls, AnExceptionInsideOpenCvBecomesOneSentenceNamingWhatFailed) {
    const cv::Mat grey(4, 4, CV_8UC1, cv::Scalar(7));
    const cv::Mat twoChannels(4, 4, CV_8UC2, cv::Scalar(7, 7));
    cv::Mat out;
    // Each of these makes OpenCV throw cv::Exception (an assertion or "no encoder").
    const app::CallResult colour = app::convertColour(twoChannels, out, cv::COLOR_BGR2RGBA, "frame 3 of 'clip.avi'");
    EXPECT_FALSE(colour.ok);
    EXPECT_EQ(colour.error, "cannot convert the colours of frame 3 of 'clip.avi' (unsupported pixel format)");
    const app::CallResult resized = app::resizeFrame(cv::Mat(), out, {8, 8}, cv::INTER_AREA);
    EXPECT_FALSE(resized.ok);
    EXPECT_EQ(resized.error.rfind("cannot resize the frame from 0x0 to 8x8 (", 0), 0U) << resized.error;
    std::vector<std::uint8_t> bytes;
    const app::CallResult encoded = app::encodeImage(grey, ".nosuchformat", "out.nosuchformat", bytes);
    EXPECT_FALSE(encoded.ok);
    EXPECT_EQ(encoded.error, "cannot encode 'out.nosuchformat' (the encoder failed)");
    for (const app::CallResult* result : {&colour, &resized, &encoded}) {
        EXPECT_EQ(result->error.find("OpenCV"), std::string::npos) << result->error;
        EXPECT_EQ(result->error.find('\n'), std::string::npos) << result->error;
    }
}

TEST(OpenCvCalls, RotationTurnsClockwiseByQuarterTurns) {
    cv::Mat wide(2, 3, CV_8UC3, cv::Scalar(0, 0, 0));
    wide.at<cv::Vec3b>(0, 0) = cv::Vec3b(255, 255, 255); // top left
    cv::Mat turned;
    ASSERT_TRUE(app::rotateFrame(wide, turned, 90).ok);
    EXPECT_EQ(turned.size(), cv::Size(2, 3));
    EXPECT_EQ(turned.at<cv::Vec3b>(0, 1), cv::Vec3b(255, 255, 255)); // now top right
    ASSERT_TRUE(app::rotateFrame(wide, turned, 0).ok);
    EXPECT_EQ(turned.data, wide.data);
}

// ---- Which frames count as failed --------------------------------------------------------------

TEST_F(LibraryText, VariableFrameRateMkvHasNoFailedFrames) {
    // Made with ffmpeg -vsync vfr: 52 frames over 3.9 s at a nominal 30 fps. Duration x rate says
    // 117, and the frames beyond 52 used to be counted as failed.
    fs::copy_file(fs::path(BLURCAM_TEST_DATA_DIR) / "vfr-52-frames.mkv", m_dir / "vfr.mkv");
    const CliRun run = process("vfr.mkv", "frames/");
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_NE(run.out.find("52 read, 52 processed, 0 failed"), std::string::npos) << run.out;
    EXPECT_EQ(run.err, "");
}

// ---- Files that cannot be opened say why -------------------------------------------------------

TEST(FileErrors, EveryErrnoBecomesOneSentenceNamingTheFile) {
    EXPECT_EQ(app::cannotOpenSentence("a.png", ENOENT), "cannot open 'a.png': no such file");
    EXPECT_EQ(app::cannotOpenSentence("a.avi", EACCES), "cannot open 'a.avi': permission denied");
    EXPECT_EQ(app::cannotOpenSentence("a.avi", EPERM), "cannot open 'a.avi': permission denied");
    EXPECT_NE(app::cannotOpenSentence("loop.png", ELOOP).find("symbolic link"), std::string::npos);
    EXPECT_NE(app::cannotOpenSentence("f/x.png", ENOTDIR).find("not a directory"), std::string::npos);
    const std::string other = app::cannotOpenSentence("x.png", EROFS);
    EXPECT_EQ(other.rfind("cannot open 'x.png': ", 0), 0U) << other;
    EXPECT_EQ(other.find('\n'), std::string::npos) << other;
}

TEST_F(LibraryText, SymlinkLoopSaysSoInsteadOfNoSuchFile) {
    fs::create_symlink("b.png", m_dir / "a.png");
    fs::create_symlink("a.png", m_dir / "b.png");
    const CliRun run = process("a.png");
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    expectOneBlurcamLine(run, "a.png");
    EXPECT_NE(run.err.find("symbolic link"), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find("no such file"), std::string::npos) << run.err;
}

TEST_F(LibraryText, NotADirectoryInThePathSaysSo) {
    writeBytes(m_dir / "plain", {1, 2, 3});
    const CliRun run = process("plain/clip.avi");
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    expectOneBlurcamLine(run, "plain/clip.avi");
    EXPECT_NE(run.err.find("not a directory"), std::string::npos) << run.err;
}

/// Root passes permission checks through two capabilities, and CI runs as root. The CLI child
/// gives them up before exec (from its bounding set, so the program it becomes never has them):
/// the kernel then checks the mode bits for it as for any user, and EACCES is real. The child
/// stays root otherwise, so it can still reach the CLI and its scratch directory wherever the
/// build tree is (an unprivileged user may not, under /root). Runs between fork and exec: only
/// system calls.
struct WithoutPermissionOverride {
    void operator()() const {
        if (::geteuid() == 0 &&
            (::prctl(PR_CAPBSET_DROP, CAP_DAC_OVERRIDE) != 0 || ::prctl(PR_CAPBSET_DROP, CAP_DAC_READ_SEARCH) != 0)) {
            ::_exit(125); // "cannot drop": the test fails on the exit code, never passes as root
        }
    }
};

TEST_F(LibraryText, FileInAnUnreadableDirectorySaysPermissionDenied) {
    fs::create_directory(m_dir / "locked");
    writeBytes(m_dir / "locked/in.png", encodedPicture(".png"));
    ::chmod((m_dir / "locked").c_str(), 0);
    const CliRun run = runCli({"process", "--input", "locked/in.png", "--output", "out.png"}, m_dir.path(),
                              WithoutPermissionOverride{});
    ::chmod((m_dir / "locked").c_str(), 0755);
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    expectOneBlurcamLine(run, "locked/in.png");
    EXPECT_NE(run.err.find("permission denied"), std::string::npos) << run.err;
}

TEST_F(LibraryText, UnreadableVideoSaysPermissionDeniedNotUnsupportedFormat) {
    writeTestVideo(m_dir / "clip.avi", 3, {64, 48});
    ::chmod((m_dir / "clip.avi").c_str(), 0);
    const CliRun run =
        runCli({"process", "--input", "clip.avi", "--output", "out.avi"}, m_dir.path(), WithoutPermissionOverride{});
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    expectOneBlurcamLine(run, "clip.avi");
    EXPECT_NE(run.err.find("permission denied"), std::string::npos) << run.err;
}

} // namespace
} // namespace blurcam::test
