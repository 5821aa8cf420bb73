// Files as phones, cameras and other programs make them, made at test time by FFmpeg's own tools
// and never stored: every frame geometry a reader must survive (every width from 1 to 64, the
// sizes phones and broadcast use), every common pixel format, codec and container, still images
// turned by EXIF, video with alpha, a size change part way through, and inputs that are not plain
// files (pipes, FIFOs, devices, sparse files). The ASan stage runs these too, so a buffer that is
// one SIMD block too short is a failure here, not a "malloc(): corrupted top size" for a user.
#include "cli_test_support.hpp"

#include "frame_source.hpp"
#include "video_file_input.hpp"

#include "blurcam/blurcam.hpp"

#include <opencv2/imgcodecs.hpp>

#include <sys/stat.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace blurcam::test {
namespace {

// The writer threads below write into pipes that blurcam may close early on purpose; a write then
// fails with EPIPE instead of killing the test.
const bool kIgnoresBrokenPipes = std::signal(SIGPIPE, SIG_IGN) != SIG_ERR;

/// Runs a shell command line (FFmpeg's tools); its exit status.
int shell(const std::string& command) {
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string sizeText(int width, int height) {
    return std::to_string(width) + "x" + std::to_string(height);
}

struct VideoCase {
    std::string codec;     ///< FFmpeg encoder
    std::string pixels;    ///< pixel format stored in the file
    std::string container; ///< extension
    int width = 0;
    int height = 0;
    int frames = 3;

    [[nodiscard]] std::string name() const {
        return codec + "-" + pixels + "-" + sizeText(width, height) + "." + container;
    }
};

/// Frames FFmpeg's own probe counts by decoding the whole stream.
long long ffprobeFrameCount(const fs::path& video) {
    const fs::path out = video.string() + ".count";
    if (shell("ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 '" +
              video.string() + "' > '" + out.string() + "'") != 0) {
        return -1;
    }
    return std::atoll(readText(out).c_str());
}

/// The first frame as FFmpeg's own command-line tool decodes it, as RGBA.
cv::Mat ffmpegFirstFrame(const fs::path& video, cv::Size size) {
    const fs::path raw = video.string() + ".rgba";
    if (shell("ffmpeg -v error -i '" + video.string() + "' -frames:v 1 -f rawvideo -pix_fmt rgba -y '" + raw.string() +
              "'") != 0) {
        return {};
    }
    const std::vector<unsigned char> bytes = readBytes(raw);
    if (bytes.size() != static_cast<std::size_t>(size.area()) * 4) {
        return {};
    }
    return cv::Mat(size, CV_8UC4, const_cast<unsigned char*>(bytes.data())).clone();
}

cv::Mat blurred(const cv::Mat& rgba) {
    const BlurParams params; // the notebook's: 5x5 Gaussian, sigma 1, stride 2
    const Size out = outputSize({rgba.cols, rgba.rows}, params.stride);
    cv::Mat result(out.height, out.width, CV_8UC4);
    blur({rgba.data, rgba.cols, rgba.rows, rgba.step[0]}, {result.data, result.cols, result.rows, result.step[0]},
         params);
    return result;
}

/// Encodes the case with FFmpeg, reads it with blurcam's reader, and checks the frame count
/// against ffprobe's and the first frame's blur against the blur of FFmpeg's decode of it.
void checkVideo(const ScratchDirectory& scratch, const VideoCase& video) {
    SCOPED_TRACE(video.name());
    const fs::path file = scratch / (video.name());
    // testsrc makes every size down to 1x1 (testsrc2 stops at 2); it moves, so frames differ.
    ASSERT_EQ(shell("ffmpeg -v error -f lavfi -i testsrc=size=" + sizeText(video.width, video.height) +
                    ":rate=10 -frames:v " + std::to_string(video.frames) + " -c:v " + video.codec + " -pix_fmt " +
                    video.pixels + " -y '" + file.string() + "'"),
              0)
        << "FFmpeg could not make the test file";
    const long long expectedFrames = ffprobeFrameCount(file);
    ASSERT_GT(expectedFrames, 0);

    app::VideoFileInput input;
    const app::CallResult opened = input.open(file.string());
    ASSERT_TRUE(opened.ok) << opened.error;
    cv::Mat first;
    cv::Mat frame;
    long long frames = 0;
    for (;;) {
        const app::FrameRead read = input.read(frame, frames + 1);
        if (read.kind == app::FrameReadKind::Nothing) {
            break;
        }
        ASSERT_EQ(read.kind, app::FrameReadKind::Picture) << read.error;
        ASSERT_EQ(frame.type(), CV_8UC4);
        ASSERT_EQ(frame.size(), cv::Size(video.width, video.height));
        if (frames++ == 0) {
            first = frame.clone();
        }
    }
    EXPECT_EQ(frames, expectedFrames);
    ASSERT_FALSE(first.empty());
    const cv::Mat reference = ffmpegFirstFrame(file, first.size());
    ASSERT_FALSE(reference.empty());
    cv::Mat difference;
    cv::absdiff(blurred(first), blurred(reference), difference);
    const cv::Scalar mean = cv::mean(difference);
    EXPECT_LE((mean[0] + mean[1] + mean[2] + mean[3]) / 4.0, 2.0)
        << "mean difference per channel " << mean << " from FFmpeg's own decode";
}

TEST(VideoGeometry, EveryWidthFrom1To64) {
    // The heap overflow struck 4:2:0 and 4:2:2 pictures whose width is 8, 10 or 12 modulo 16: all
    // widths up to 64 cover every remainder, with odd heights and odd chroma sizes along the way.
    ScratchDirectory scratch;
    for (int width = 1; width <= 64; ++width) {
        checkVideo(scratch, {"ffv1", "yuv420p", "mkv", width, 17});
        // x264 takes 4:2:0 only at even widths; odd ones are stored 4:4:4.
        checkVideo(scratch, {"libx264", width % 2 == 0 ? "yuv420p" : "yuv444p", "mp4", width, 16});
    }
}

TEST(VideoGeometry, SizesPhonesCamerasAndScreensMake) {
    ScratchDirectory scratch;
    for (const auto& [width, height] : std::vector<std::pair<int, int>>{
             {360, 640}, {480, 854}, {720, 480}, {720, 576}, {1080, 1920}, {1366, 768}, {1920, 1080}}) {
        checkVideo(scratch, {"libx264", "yuv420p", "mp4", width, height, 2});
    }
}

TEST(VideoGeometry, EveryCommonPixelFormat) {
    ScratchDirectory scratch;
    for (const cv::Size size : {cv::Size(40, 24), cv::Size(360, 640)}) {
        for (const VideoCase& video : std::vector<VideoCase>{
                 {"libx264", "yuv420p", "mp4"},
                 {"libx264", "yuv422p", "mkv"},
                 {"libx264", "yuv444p", "mkv"},
                 {"mjpeg", "yuvj420p", "avi"},
                 {"rawvideo", "nv12", "mkv"},
                 {"libvpx-vp9", "yuv420p10le", "webm"},
                 {"libx264", "yuv420p10le", "mkv"},
             }) {
            VideoCase sized = video;
            sized.width = size.width;
            sized.height = size.height;
            checkVideo(scratch, sized);
        }
    }
}

TEST(VideoGeometry, EveryCodecInEveryContainerThatTakesIt) {
    ScratchDirectory scratch;
    for (const VideoCase& video : std::vector<VideoCase>{
             {"libx264", "yuv420p", "mp4"},
             {"libx264", "yuv420p", "mkv"},
             {"libx264", "yuv420p", "avi"},
             {"mpeg4", "yuv420p", "avi"},
             {"mpeg4", "yuv420p", "mp4"},
             {"mpeg4", "yuv420p", "mkv"},
             {"mjpeg", "yuvj422p", "avi"},
             {"mjpeg", "yuvj420p", "mkv"},
             {"libvpx-vp9", "yuv420p", "webm"},
             {"libvpx-vp9", "yuv420p", "mkv"},
             {"libvpx-vp9", "yuv420p", "mp4"},
             {"ffv1", "yuv420p", "mkv"},
             {"ffv1", "yuv422p", "avi"},
         }) {
        VideoCase sized = video;
        sized.width = 72; // 8 modulo 16
        sized.height = 40;
        checkVideo(scratch, sized);
    }
}

// ---- The reported crashes, through blurcam-cli -------------------------------------------------

TEST(VideoGeometry, APortraitPhoneVideoIsProcessed) {
    ScratchDirectory scratch;
    ASSERT_EQ(shell("ffmpeg -v error -f lavfi -i testsrc2=size=360x640:rate=30 -frames:v 30 -c:v libx264 -pix_fmt "
                    "yuv420p -y '" +
                    (scratch / "p.mp4").string() + "'"),
              0);
    const CliRun run = runCli({"process", "--input", "p.mp4", "--output", "o.png"}, scratch.path());
    EXPECT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_NE(run.out.find("30 read, 30 processed, 0 failed"), std::string::npos) << describe(run);
    EXPECT_EQ(run.err, "");
}

TEST(VideoGeometry, APalSizedVideoIsWrittenAndReadBack) {
    ScratchDirectory scratch;
    const CliRun run = runCli(
        {"process", "--input", "pattern", "--size", "720x576", "--frames", "10", "--stride", "1", "--output", "o.mp4"},
        scratch.path());
    EXPECT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_EQ(ffprobeFrameCount(scratch / "o.mp4"), 10);
}

// ---- Still images -----------------------------------------------------------------------------

/// A JPEG with an APP1 Exif segment whose Orientation tag is orientation (big-endian TIFF).
std::vector<unsigned char> jpegWithOrientation(const cv::Mat& bgr, int orientation) {
    std::vector<unsigned char> jpeg;
    cv::imencode(".jpg", bgr, jpeg, {cv::IMWRITE_JPEG_QUALITY, 100});
    const std::vector<unsigned char> tiff{'M',  'M',
                                          0,    42,
                                          0,    0,
                                          0,    8, // header, IFD at 8
                                          0,    1, // one entry
                                          0x01, 0x12,
                                          0,    3,
                                          0,    0,
                                          0,    1, // Orientation, SHORT, 1
                                          0,    static_cast<unsigned char>(orientation),
                                          0,    0, // value
                                          0,    0,
                                          0,    0}; // no next IFD
    std::vector<unsigned char> app1{0xFF, 0xE1, 0, 0, 'E', 'x', 'i', 'f', 0, 0};
    app1.insert(app1.end(), tiff.begin(), tiff.end());
    const std::size_t length = app1.size() - 2;
    app1[2] = static_cast<unsigned char>(length >> 8);
    app1[3] = static_cast<unsigned char>(length & 0xFF);
    std::vector<unsigned char> result(jpeg.begin(), jpeg.begin() + 2); // SOI
    result.insert(result.end(), app1.begin(), app1.end());
    result.insert(result.end(), jpeg.begin() + 2, jpeg.end());
    return result;
}

cv::Mat readFirstFrame(const fs::path& path) {
    app::OpenedSource opened = app::openFrameSource(path.string());
    EXPECT_TRUE(opened.source) << opened.error;
    cv::Mat rgba;
    if (opened.source) {
        EXPECT_EQ(opened.source->read(rgba), app::ReadStatus::Frame) << opened.source->error();
    }
    return rgba;
}

TEST(StillImages, EveryExifOrientationIsTurnedAsOpenCvTurnsIt) {
    // A 15 wide, 10 high sensor image; with Orientation 5 to 8 it is shown 10 wide, 15 high.
    ScratchDirectory scratch;
    const cv::Mat bgr = [] {
        cv::Mat picture(10, 15, CV_8UC3);
        for (int y = 0; y < picture.rows; ++y) {
            for (int x = 0; x < picture.cols; ++x) {
                picture.at<cv::Vec3b>(y, x) = {static_cast<unsigned char>(x * 16), static_cast<unsigned char>(y * 24),
                                               static_cast<unsigned char>(128 + ((x + y) % 2) * 100)};
            }
        }
        return picture;
    }();
    for (int orientation = 1; orientation <= 8; ++orientation) {
        SCOPED_TRACE("Orientation " + std::to_string(orientation));
        const fs::path file = scratch / ("photo-" + std::to_string(orientation) + ".jpg");
        writeBytes(file, jpegWithOrientation(bgr, orientation));
        const cv::Mat expected = cv::imread(file.string(), cv::IMREAD_COLOR); // applies EXIF
        const cv::Mat rgba = readFirstFrame(file);
        ASSERT_EQ(rgba.size(), expected.size());
        cv::Mat rgb;
        cv::cvtColor(rgba, rgb, cv::COLOR_RGBA2BGR);
        EXPECT_EQ(cv::norm(rgb, expected, cv::NORM_INF), 0.0);
    }
}

TEST(StillImages, APortraitPhonePhotoComesOutPortraitThroughTheCli) {
    ScratchDirectory scratch;
    writeBytes(scratch / "phone.jpg", jpegWithOrientation(cv::Mat(10, 16, CV_8UC3, cv::Scalar(40, 90, 200)), 6));
    const CliRun run =
        runCli({"process", "--input", "phone.jpg", "--stride", "1", "--output", "out.png"}, scratch.path());
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_EQ(readRgba(scratch / "out.png").size(), cv::Size(10, 16));
}

TEST(StillImages, SixteenBitImagesAreReducedAndTheSummarySaysSoOnce) {
    ScratchDirectory scratch;
    cv::Mat deep(12, 20, CV_16UC3, cv::Scalar(65535, 32768, 0));
    cv::imwrite((scratch / "deep.png").string(), deep);
    const cv::Mat rgba = readFirstFrame(scratch / "deep.png");
    ASSERT_FALSE(rgba.empty());
    EXPECT_EQ(rgba.at<cv::Vec4b>(0, 0), cv::Vec4b(0, 128, 255, 255));
    const CliRun run = runCli({"process", "--input", "deep.png", "--output", "out.png"}, scratch.path());
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_EQ(run.err, "blurcam-cli: warning: 'deep.png' has 16 bits per channel; blurcam works in 8 and reduced it\n");
}

// ---- Video with alpha -------------------------------------------------------------------------

TEST(VideoAlpha, EveryFormatThatCarriesAlphaKeepsIt) {
    // Red at a quarter opacity: alpha 63 or 64 after the formats' own rounding, never 255.
    ScratchDirectory scratch;
    const std::string source = "-f lavfi -i color=c=red@0.25:s=64x48:r=10:d=0.5,format=rgba";
    for (const auto& [file, encoder] : std::vector<std::pair<std::string, std::string>>{
             {"png.mov", "-c:v png"},
             {"qtrle.mov", "-c:v qtrle -pix_fmt argb"},
             {"vp9.webm", "-c:v libvpx-vp9 -pix_fmt yuva420p"},
             {"vp8.webm", "-c:v libvpx -pix_fmt yuva420p -auto-alt-ref 0"},
         }) {
        SCOPED_TRACE(file);
        ASSERT_EQ(shell("ffmpeg -v error " + source + " " + encoder + " -y '" + (scratch / file).string() + "'"), 0);
        const cv::Mat rgba = readFirstFrame(scratch / file);
        ASSERT_FALSE(rgba.empty());
        const cv::Vec4b pixel = rgba.at<cv::Vec4b>(20, 30);
        EXPECT_GE(pixel[3], 62);
        EXPECT_LE(pixel[3], 65);
    }
    // A GIF's transparent colour: alpha 0.
    ASSERT_EQ(shell("ffmpeg -v error -f lavfi -i color=c=red@0.0:s=64x48:r=10:d=0.5,format=rgba -vf "
                    "'split[a][b];[a]palettegen=reserve_transparent=1[p];[b][p]paletteuse=alpha_threshold=128' -y '" +
                    (scratch / "clear.gif").string() + "'"),
              0);
    const cv::Mat gif = readFirstFrame(scratch / "clear.gif");
    ASSERT_FALSE(gif.empty());
    EXPECT_EQ(gif.at<cv::Vec4b>(20, 30)[3], 0);
}

// ---- A frame size that changes part way through -----------------------------------------------

TEST(VideoSizeChange, ConcatenatedSegmentsAreScaledToTheFirstSizeWithOneWarning) {
    ScratchDirectory scratch;
    const std::string a = (scratch / "a.ts").string();
    const std::string b = (scratch / "b.ts").string();
    ASSERT_EQ(
        shell("ffmpeg -v error -f lavfi -i testsrc2=size=64x48:rate=10 -frames:v 5 -c:v mpeg2video -bf 0 -y '" + a +
              "' && ffmpeg -v error -f lavfi -i testsrc2=size=96x64:rate=10 -frames:v 5 -c:v mpeg2video -bf 0 -y '" +
              b + "' && cat '" + a + "' '" + b + "' > '" + (scratch / "joined.ts").string() + "'"),
        0);
    // The joint costs the first segment its last frame (FFmpeg's own probe counts 9 as well).
    ASSERT_EQ(ffprobeFrameCount(scratch / "joined.ts"), 9);
    const CliRun run =
        runCli({"process", "--input", "joined.ts", "--stride", "1", "--output", "out.avi"}, scratch.path());
    ASSERT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_NE(run.out.find("9 read, 9 processed, 0 failed"), std::string::npos) << describe(run);
    EXPECT_EQ(run.err, "blurcam-cli: warning: 'joined.ts' changes its frame size part way through (to 96x64 at frame "
                       "5); 5 frames were scaled to its first size, 64x48\n");
    cv::Size size;
    EXPECT_EQ(countVideoFrames(scratch / "out.avi", &size), 9);
    EXPECT_EQ(size, cv::Size(64, 48));
}

// ---- Inputs that are not plain files ----------------------------------------------------------

/// Runs the CLI with its standard input read from fd.
CliRun runCliWithInput(const std::vector<std::string>& args, const fs::path& workDir, int fd) {
    return runCli(args, workDir, [fd] { ::dup2(fd, STDIN_FILENO); });
}

/// Writes a file into a pipe or FIFO from a thread, as another program would.
class Writer {
  public:
    Writer(fs::path from, int to)
        : m_thread([from = std::move(from), to] {
              const std::vector<unsigned char> bytes = readBytes(from);
              std::size_t done = 0;
              while (done < bytes.size()) {
                  const ssize_t wrote = ::write(to, bytes.data() + done, bytes.size() - done);
                  if (wrote <= 0) {
                      break; // the reader closed its end
                  }
                  done += static_cast<std::size_t>(wrote);
              }
              ::close(to);
          }) {}
    ~Writer() { m_thread.join(); }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

  private:
    std::thread m_thread;
};

TEST(PipeInputs, AnImageAndAStreamableVideoArriveOnStandardInput) {
    ScratchDirectory scratch;
    writeRgbaPng(scratch / "in.png", makeRgbaPicture(33, 21));
    ASSERT_EQ(
        shell("ffmpeg -v error -f lavfi -i testsrc2=size=360x640:rate=10 -frames:v 7 -c:v libx264 -f mpegts -y '" +
              (scratch / "in.ts").string() + "'"),
        0);
    for (const auto& [input, expected] : std::vector<std::pair<std::string, std::string>>{
             {"in.png", "1 read, 1 processed"}, {"in.ts", "7 read, 7 processed"}}) {
        for (const std::string name : {"-", "/dev/stdin"}) {
            SCOPED_TRACE(input + " as " + name);
            int ends[2];
            ASSERT_EQ(::pipe2(ends, O_CLOEXEC), 0); // the CLI must not hold the writing end itself
            CliRun run;
            {
                const Writer writer(scratch / input, ends[1]);
                run = runCliWithInput({"process", "--input", name, "--output", "out/"}, scratch.path(), ends[0]);
                ::close(ends[0]);
            }
            EXPECT_EQ(run.exitCode, 0) << describe(run);
            EXPECT_NE(run.out.find(expected), std::string::npos) << describe(run);
            fs::remove_all(scratch / "out");
        }
    }
}

TEST(PipeInputs, AnMp4ThatNeedsSeekingIsRefusedInOneLine) {
    ScratchDirectory scratch;
    // Larger than what blurcam and FFmpeg hold of a pipe at once, so the demuxer cannot go back.
    ASSERT_EQ(shell("ffmpeg -v error -f lavfi -i testsrc2=size=360x640:rate=30 -frames:v 60 -c:v libx264 -y '" +
                    (scratch / "in.mp4").string() + "'"),
              0);
    ASSERT_GT(fs::file_size(scratch / "in.mp4"), std::uintmax_t{1} << 17);
    int ends[2];
    ASSERT_EQ(::pipe2(ends, O_CLOEXEC), 0);
    CliRun run;
    {
        const Writer writer(scratch / "in.mp4", ends[1]);
        run = runCliWithInput({"process", "--input", "-", "--output", "out.png"}, scratch.path(), ends[0]);
        ::close(ends[0]);
    }
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    EXPECT_EQ(run.err, "blurcam-cli: no frame of standard input could be read from the pipe (an MP4 or MOV whose index "
                       "is at its end must be given as a file)\n");
    EXPECT_FALSE(fs::exists(scratch / "out.png"));
}

TEST(PipeInputs, AFifoIsReadAsAStream) {
    ScratchDirectory scratch;
    ASSERT_EQ(shell("ffmpeg -v error -f lavfi -i testsrc2=size=48x32:rate=10 -frames:v 4 -c:v mjpeg -f avi -y '" +
                    (scratch / "in.avi").string() + "'"),
              0);
    ASSERT_EQ(::mkfifo((scratch / "x.mp4").c_str(), 0600), 0);
    RunningCli running = startCli({"process", "--input", "x.mp4", "--output", "out/"}, scratch.path());
    // Opening the FIFO for writing waits until blurcam has opened it for reading.
    const int fifo = ::open((scratch / "x.mp4").c_str(), O_WRONLY);
    ASSERT_GE(fifo, 0);
    CliRun run;
    {
        const Writer writer(scratch / "in.avi", fifo);
        run = waitForCli(running);
    }
    EXPECT_EQ(run.exitCode, 0) << describe(run);
    EXPECT_NE(run.out.find("4 read, 4 processed"), std::string::npos) << describe(run);
}

TEST(PipeInputs, AFifoNobodyWritesToIsRefusedInsteadOfWaitingForEver) {
    ScratchDirectory scratch;
    ASSERT_EQ(::mkfifo((scratch / "x.mp4").c_str(), 0600), 0);
    const CliRun run = runCli({"process", "--input", "x.mp4", "--output", "out.png"}, scratch.path());
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    EXPECT_EQ(run.err, "blurcam-cli: 'x.mp4' is a named pipe and received no data within 5 s (is the program that "
                       "should write to it running?)\n");
}

TEST(PipeInputs, AnImageNamedLinkToADeviceIsRefused) {
    ScratchDirectory scratch;
    fs::create_symlink("/dev/zero", scratch / "z.png");
    const CliRun run = runCli({"process", "--input", "z.png", "--output", "out.png"}, scratch.path());
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    EXPECT_EQ(run.err, "blurcam-cli: 'z.png' is a device, not an image or video file\n");
}

/// A sparse file of size bytes that starts with a PNG signature and an IHDR for width x height.
void writeSparsePng(const fs::path& path, std::uint32_t width, std::uint32_t height, std::uintmax_t size) {
    std::vector<unsigned char> header{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    for (const std::uint32_t value : {width, height}) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            header.push_back(static_cast<unsigned char>(value >> shift));
        }
    }
    header.insert(header.end(), {8, 6, 0, 0, 0});
    const std::uint32_t crc = crc32(header.data() + 12, header.size() - 12);
    for (int shift = 24; shift >= 0; shift -= 8) {
        header.push_back(static_cast<unsigned char>(crc >> shift));
    }
    writeBytes(path, header);
    fs::resize_file(path, size);
}

TEST(PipeInputs, ASparseFileBehindAnImageHeaderIsRefusedBeforeItIsRead) {
    ScratchDirectory scratch;
    constexpr std::uintmax_t kEightGigabytes = std::uintmax_t{8} << 30;
    writeSparsePng(scratch / "huge.png", 16385, 16, kEightGigabytes);
    CliRun run = runCli({"process", "--input", "huge.png", "--output", "out.png"}, scratch.path());
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    EXPECT_EQ(run.err, "blurcam-cli: 'huge.png' claims 16385x16 pixels, more than blurcam accepts (at most 16384 on a "
                       "side)\n");
    writeSparsePng(scratch / "small.png", 100, 100, kEightGigabytes);
    run = runCli({"process", "--input", "small.png", "--output", "out.png"}, scratch.path());
    EXPECT_EQ(run.exitCode, 1) << describe(run);
    EXPECT_EQ(run.err, "blurcam-cli: 'small.png' is 8192 MiB, more than any image of the size it claims can take up "
                       "(corrupt, or not an image)\n");
}

} // namespace
} // namespace blurcam::test
