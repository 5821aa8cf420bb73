// Hostile and broken files through `blurcam-cli process` (a file may be anything), beyond the ones
// tests/cli_tests.cpp already covers (empty file, text named .png, truncated PNG/JPEG, garbage
// video, one corrupt frame in a video). Each failure must give exit status 1, exactly one line on
// stderr naming the file, nothing on stdout and no file left behind.
//
// Images whose header claims a huge size run with the child's address space capped (RLIMIT_AS),
// so a decoder that allocated for the claimed size would fail or crash instead of passing: the
// refusal provably comes before any large allocation. A control run of a normal picture under the
// same cap shows the cap itself does not break the CLI. AddressSanitizer reserves terabytes of
// shadow memory, so under it the cap is ASan's own max_allocation_size_mb instead.
#include "cli_test_support.hpp"

#include <sys/resource.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <optional>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BLURCAM_TEST_UNDER_SANITIZER 1
#endif

namespace blurcam::test {
namespace {

/// The child's address-space cap. blurcam-cli needs well under this for small pictures (its
/// thread stacks and malloc arenas included); 100000x100000 RGBA would need 40 GB.
constexpr rlim_t kAddressSpaceLimit = rlim_t{768} << 20;

/// Like runCli, but the child runs with its memory capped as described above.
CliRun runCliCapped(const std::vector<std::string>& args, const fs::path& workDir) {
    // Built before fork: the child only calls async-signal-safe functions.
    const char* inherited = std::getenv("ASAN_OPTIONS");
    const std::string asanOptions = std::string(inherited != nullptr ? inherited : "") + ":max_allocation_size_mb=256";
    return runCli(args, workDir, [&] {
#ifdef BLURCAM_TEST_UNDER_SANITIZER
        ::setenv("ASAN_OPTIONS", asanOptions.c_str(), 1);
#else
        (void)asanOptions;
        const rlimit limit{kAddressSpaceLimit, kAddressSpaceLimit};
        if (::setrlimit(RLIMIT_AS, &limit) != 0) {
            ::_exit(125);
        }
#endif
    });
}

void putBigEndian32(std::vector<unsigned char>& bytes, std::size_t at, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) {
        bytes[at + static_cast<std::size_t>(i)] = static_cast<unsigned char>(value >> (24 - 8 * i));
    }
}

void putLittleEndian32(std::vector<unsigned char>& bytes, std::size_t at, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) {
        bytes[at + static_cast<std::size_t>(i)] = static_cast<unsigned char>(value >> (8 * i));
    }
}

class HostileFiles : public ::testing::Test {
  protected:
    /// Runs `process --input name --output out.png` capped; expects a clean failure naming the file.
    CliRun expectCleanFailure(const std::string& name, const std::string& output = "out.png") {
        const std::set<std::string> before = m_dir.listing();
        const CliRun run = runCliCapped({"process", "--input", name, "--output", output}, m_dir.path());
        EXPECT_EQ(run.exitCode, 1) << describe(run);
        EXPECT_EQ(run.errLines().size(), 1U) << describe(run);
        EXPECT_NE(run.err.find(name), std::string::npos) << "stderr should name " << name << "\n" << describe(run);
        EXPECT_EQ(run.out, "") << describe(run);
        const std::set<std::string> after = m_dir.listing();
        EXPECT_EQ(after, before) << "the failed run left files behind";
        EXPECT_FALSE(hasTemporaryName(after));
        return run;
    }

    /// A small BMP whose header claims width x height (a negative height: rows stored top-down)
    /// fails cleanly, naming the size it claims.
    void expectBmpClaimRefused(const std::string& name, std::int32_t width, std::int32_t height) {
        std::vector<unsigned char> bytes = encoded(".bmp");
        ASSERT_GT(bytes.size(), 26U);
        putLittleEndian32(bytes, 18, static_cast<std::uint32_t>(width));
        putLittleEndian32(bytes, 22, static_cast<std::uint32_t>(height));
        writeBytes(m_dir / name, bytes);
        const CliRun run = expectCleanFailure(name);
        const std::string claimed = std::to_string(width) + "x" + std::to_string(std::abs(height));
        EXPECT_NE(run.err.find(claimed), std::string::npos) << run.err;
    }

    /// A small picture in the given format, as bytes.
    std::vector<unsigned char> encoded(const std::string& extension) {
        cv::Mat bgr;
        cv::cvtColor(makeRgbaPicture(64, 48), bgr, cv::COLOR_RGBA2BGR);
        std::vector<unsigned char> bytes;
        EXPECT_TRUE(cv::imencode(extension, bgr, bytes));
        return bytes;
    }

    ScratchDirectory m_dir;
};

TEST_F(HostileFiles, ControlRunUnderTheSameMemoryCapSucceeds) {
    writeBytes(m_dir / "small.png", encoded(".png"));
    const CliRun run = runCliCapped({"process", "--input", "small.png", "--output", "out.png"}, m_dir.path());
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_EQ(readRgba(m_dir / "out.png").size(), cv::Size(32, 24)); // the default stride is 2
}

TEST_F(HostileFiles, PngClaimingHugeSizeIsRefusedBeforeDecoding) {
    std::vector<unsigned char> bytes = encoded(".png");
    ASSERT_GT(bytes.size(), 33U);
    ASSERT_EQ(std::string(bytes.begin() + 12, bytes.begin() + 16), "IHDR");
    putBigEndian32(bytes, 16, 100000);
    putBigEndian32(bytes, 20, 100000);
    // A correct CRC, so libpng would accept the header and allocate for it.
    putBigEndian32(bytes, 29, crc32(bytes.data() + 12, 17));
    writeBytes(m_dir / "huge.png", bytes);
    const CliRun run = expectCleanFailure("huge.png");
    EXPECT_NE(run.err.find("100000x100000"), std::string::npos) << run.err;
}

TEST_F(HostileFiles, JpegClaimingHugeSizeIsRefusedBeforeDecoding) {
    std::vector<unsigned char> bytes = encoded(".jpg");
    // 65535 is the most a JPEG start-of-frame can claim (16-bit fields): 4.3 G pixels.
    bool patched = false;
    for (std::size_t at = 2; at + 9 <= bytes.size() && !patched;) {
        ASSERT_EQ(bytes[at], 0xFF);
        const unsigned char marker = bytes[at + 1];
        const std::size_t length = (std::size_t{bytes[at + 2]} << 8) | bytes[at + 3];
        if (marker == 0xC0 || marker == 0xC2) {
            bytes[at + 5] = bytes[at + 6] = bytes[at + 7] = bytes[at + 8] = 0xFF;
            patched = true;
        }
        at += 2 + length;
    }
    ASSERT_TRUE(patched) << "no start-of-frame marker in the encoded JPEG";
    writeBytes(m_dir / "huge.jpg", bytes);
    const CliRun run = expectCleanFailure("huge.jpg");
    EXPECT_NE(run.err.find("65535x65535"), std::string::npos) << run.err;
}

TEST_F(HostileFiles, BmpClaimingHugeSizeIsRefusedBeforeDecoding) {
    expectBmpClaimRefused("huge.bmp", 100000, 100000);
}

TEST_F(HostileFiles, TopDownBmpClaimingHugeNegativeHeightIsRefused) {
    expectBmpClaimRefused("topdown.bmp", 20000, -20000);
}

TEST_F(HostileFiles, WideButShortPngBeyondTheSideLimitIsRefused) {
    // 100000x1 is few pixels, but each side is checked too (row buffers scale with the width).
    std::vector<unsigned char> bytes = encoded(".png");
    putBigEndian32(bytes, 16, 100000);
    putBigEndian32(bytes, 20, 1);
    putBigEndian32(bytes, 29, crc32(bytes.data() + 12, 17));
    writeBytes(m_dir / "wide.png", bytes);
    expectCleanFailure("wide.png");
}

TEST_F(HostileFiles, PngCutInsideItsHeader) {
    std::vector<unsigned char> bytes = encoded(".png");
    bytes.resize(20); // signature and part of IHDR
    writeBytes(m_dir / "stub.png", bytes);
    expectCleanFailure("stub.png");
}

TEST_F(HostileFiles, JpegCutRightAfterItsHeaders) {
    std::vector<unsigned char> bytes = encoded(".jpg");
    bytes.resize(bytes.size() / 4);
    writeBytes(m_dir / "stub.jpg", bytes);
    expectCleanFailure("stub.jpg");
}

TEST_F(HostileFiles, TruncatedBmp) {
    std::vector<unsigned char> bytes = encoded(".bmp");
    bytes.resize(bytes.size() / 2);
    writeBytes(m_dir / "cut.bmp", bytes);
    expectCleanFailure("cut.bmp");
}

TEST_F(HostileFiles, TextFileNamedJpegAndBmp) {
    std::ofstream(m_dir / "notes.jpg") << "still not a picture\n";
    std::ofstream(m_dir / "notes.bmp") << "BM but not a bitmap\n";
    expectCleanFailure("notes.jpg");
    expectCleanFailure("notes.bmp");
}

TEST_F(HostileFiles, GarbageThatOpenCvsDicomReaderAbortsOnIsRefused) {
    // Found by tests/fuzz/reader_fuzz.cpp (now in tests/fuzz/corpus-reader/): bytes that are not
    // PNG, JPEG or BMP used to reach cv::imdecode, whose GDCM (DICOM) decoder abort()ed on them.
    std::vector<unsigned char> bytes{'#', '?', 'R'};
    bytes.resize(124, 0xFF);
    for (const char c : std::string("ADIIDICMANC")) { // the DICOM magic at offset 128 - 4
        bytes.push_back(static_cast<unsigned char>(c));
    }
    writeBytes(m_dir / "dicom.png", bytes);
    expectCleanFailure("dicom.png");
}

TEST_F(HostileFiles, EmptyVideoFile) {
    std::ofstream(m_dir / "empty.avi").flush();
    expectCleanFailure("empty.avi", "out.avi");
}

TEST_F(HostileFiles, VideoWithSeveralCorruptFramesInTheMiddleKeepsTheOthersInTheOutputVideo) {
    writeTestVideo(m_dir / "in.avi", 16, {160, 120});
    // Frames 6, 7 and 9 (1-based) lose half their JPEG data.
    ASSERT_NO_FATAL_FAILURE(writeWithCorruptFrames(m_dir / "in.avi", 16, {5, 6, 8}, m_dir / "broken.avi"));

    const CliRun run = runCliCapped({"process", "--input", "broken.avi", "--output", "out.avi"}, m_dir.path());
    const std::optional<FrameCounts> counts = countsOf(run);
    ASSERT_TRUE(counts) << describe(run);
    EXPECT_EQ(counts->processed, 13) << run.out;
    EXPECT_EQ(counts->failed, 3) << run.out;
    for (const std::string& line : run.errLines()) {
        EXPECT_NE(line.find("broken.avi"), std::string::npos) << line;
    }
    EXPECT_EQ(countVideoFrames(m_dir / "out.avi"), 13);
}

} // namespace
} // namespace blurcam::test
