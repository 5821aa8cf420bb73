// The virtual camera, end to end with real parts: a private PipeWire daemon with WirePlumber, a
// GStreamer test camera, blurcam-cli as a subprocess reading it and publishing its own node,
// and a consumer in this test (pipewiresrc into an appsink) that checks what arrives. Frame
// counts are deterministic; every wait is a generous "give up" guard, never a timing assertion.

#include "pipewire_test_support.hpp"

#include "frame_convert.hpp"
#include "frame_recorder.hpp"
#include "frame_sink.hpp"
#include "output_frame.hpp"
#include "v4l2_devices.hpp"

#include "blurcam/blurcam.hpp"

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <opencv2/videoio/registry.hpp>

#include <sys/resource.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <regex>

namespace blurcam::test {
namespace {

const std::string kCli = BLURCAM_CLI_PATH;

/// One frame of node as blurcam's own PipeWire input reads it (the same pipeline, same bytes).
cv::Mat readInputLikeBlurcam(const std::string& node) {
    cv::VideoCapture capture(
        "pipewiresrc target-object=" + node +
            " ! videoconvert ! video/x-raw,format=RGBA ! appsink drop=true max-buffers=1 sync=false",
        cv::CAP_GSTREAMER);
    cv::Mat frame;
    if (capture.isOpened()) {
        capture.read(frame);
    }
    return frame;
}

/// What the engine makes of rgba with blurcam-cli's defaults, scaled to size: the reference.
cv::Mat expectedOutput(const cv::Mat& rgba, cv::Size size) {
    BlurParams params;
    const Size out = outputSize({rgba.cols, rgba.rows}, params.stride);
    cv::Mat blurred(out.height, out.width, CV_8UC4);
    auto made = createBackend(BackendKind::Cpu);
    made.backend->process(app::toImageView(rgba), app::toMutableImageView(blurred), params);
    cv::Mat scaled = app::scaleForOutput(blurred, size, false);
    cv::Mat expected;
    cv::cvtColor(scaled, expected, cv::COLOR_RGBA2BGR);
    return expected;
}

struct Difference {
    double mean = 0.0;
    double max = 0.0;
};
Difference difference(const cv::Mat& a, const cv::Mat& b) {
    cv::Mat diff;
    cv::absdiff(a, b, diff);
    double max = 0.0;
    cv::minMaxLoc(diff.reshape(1), nullptr, &max);
    const cv::Scalar mean = cv::mean(diff);
    return {(mean[0] + mean[1] + mean[2]) / 3.0, max};
}

int countLines(const std::string& text, const std::string& needle) {
    int count = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++count;
    }
    return count;
}

long long summaryNumber(const std::string& text, const std::string& pattern) {
    std::smatch match;
    if (std::regex_search(text, match, std::regex(pattern))) {
        return std::stoll(match[1].str());
    }
    return -1;
}

class VirtualCamera : public ::testing::Test {
  protected:
    void SetUp() override {
        REQUIRE_OR_SKIP(cv::videoio_registry::hasBackend(cv::CAP_GSTREAMER),
                        "this OpenCV has no GStreamer backend, which the consumer and blurcam's input use");
        m_pipewire = std::make_unique<PrivatePipeWire>();
        REQUIRE_OR_SKIP(m_pipewire->missing().empty(), m_pipewire->missing());
        const std::string error = m_pipewire->start();
        ASSERT_EQ(error, "");
    }

    /// blurcam-cli reading pipewire:input and publishing pipewire:output, plus extra options.
    Child startBlurcam(const std::string& input, const std::string& output, std::vector<std::string> extra = {}) {
        std::vector<std::string> argv{kCli,       "process",           "--input", "pipewire:" + input,
                                      "--output", "pipewire:" + output};
        argv.insert(argv.end(), extra.begin(), extra.end());
        ++m_runs;
        return Child(argv, m_pipewire->log("blurcam" + std::to_string(m_runs) + ".out"),
                     m_pipewire->log("blurcam" + std::to_string(m_runs) + ".err"));
    }

    /// Waits until blurcam's stdout says its node is published.
    static bool published(Child& blurcam) {
        return pollUntil(
            [&] { return blurcam.out().find("no one watching") != std::string::npos || !blurcam.running(); });
    }

    std::unique_ptr<PrivatePipeWire> m_pipewire;
    int m_runs = 0;
};

TEST_F(VirtualCamera, EndToEndFramesMatchTheEngine) {
    Child camera = m_pipewire->startTestCamera("test-cam");
    ASSERT_TRUE(PrivatePipeWire::waitForNode("test-cam")) << camera.err();
    const cv::Mat input = [&] {
        cv::Mat frame;
        pollUntil([&] { return !(frame = readInputLikeBlurcam("test-cam")).empty(); });
        return frame;
    }();
    ASSERT_FALSE(input.empty()) << "the test camera never delivered a frame: " << camera.err();
    ASSERT_EQ(input.size(), cv::Size(640, 480));

    Child blurcam = startBlurcam("test-cam", "blurcam-test");
    ASSERT_TRUE(published(blurcam)) << blurcam.err();
    ASSERT_TRUE(blurcam.running()) << blurcam.out() << blurcam.err();

    // SMPTE 75% bars are still (plain "smpte" has a noise box), so every frame blurcam sends is the engine's output for
    // input.
    const cv::Mat expected = expectedOutput(input, input.size());
    constexpr int kFrames = 30;
    const Received rgb = receive("blurcam-test", "BGRx", kFrames);
    ASSERT_EQ(rgb.error, "");
    ASSERT_EQ(rgb.frames.size(), static_cast<std::size_t>(kFrames));
    for (const cv::Mat& frame : rgb.frames) {
        ASSERT_EQ(frame.size(), cv::Size(640, 480)) << "the source's size, not the engine's 320x240";
        const Difference d = difference(frame, expected);
        EXPECT_EQ(d.max, 0.0) << "an RGB consumer gets the engine's bytes";
    }

    // YUY2 (what browsers take): 4:2:2 chroma, and blurcam's BT.601 encoding decoded by
    // GStreamer's videoconvert with its own rounding; on the saturated bars that is a mean of
    // about 1.8 levels (measured), with the largest errors at the colour edges.
    const Received yuv = receive("blurcam-test", "YUY2", kFrames);
    ASSERT_EQ(yuv.error, "");
    ASSERT_EQ(yuv.frames.size(), static_cast<std::size_t>(kFrames));
    for (const cv::Mat& frame : yuv.frames) {
        ASSERT_EQ(frame.size(), cv::Size(640, 480));
        const Difference d = difference(frame, expected);
        EXPECT_LT(d.mean, 3.0);
        EXPECT_LE(d.max, 24.0);
    }

    EXPECT_EQ(blurcam.stop(), 128 + SIGINT) << blurcam.err();
    EXPECT_EQ(blurcam.err(), "") << "no library noise on stderr";
    const std::string out = blurcam.out();
    EXPECT_GE(summaryNumber(out, R"(sent:\s+(\d+) frames)"), 2 * kFrames) << out;
}

TEST_F(VirtualCamera, ConsumersComeAndGoAndAreReported) {
    Child camera = m_pipewire->startTestCamera("test-cam");
    ASSERT_TRUE(PrivatePipeWire::waitForNode("test-cam")) << camera.err();
    Child blurcam = startBlurcam("test-cam", "blurcam-test", {"--output-size", "320x240", "--mirror"});
    ASSERT_TRUE(published(blurcam)) << blurcam.err();
    for (int round = 0; round < 3; ++round) {
        const Received got = receive("blurcam-test", round % 2 == 0 ? "YUY2" : "RGBx", 10);
        ASSERT_EQ(got.error, "") << "round " << round;
        ASSERT_EQ(got.frames.size(), 10U);
        EXPECT_EQ(got.frames.front().size(), cv::Size(320, 240)) << "--output-size";
        // The consumer is gone once receive() returns; blurcam says so before the next round.
        ASSERT_TRUE(pollUntil([&] { return countLines(blurcam.out(), "no one watching") >= round + 2; }))
            << blurcam.out();
    }
    EXPECT_EQ(blurcam.stop(), 128 + SIGINT);
    const std::string out = blurcam.out();
    EXPECT_GE(countLines(out, "1 program watching"), 3) << out;
    EXPECT_EQ(blurcam.err(), "");
}

TEST_F(VirtualCamera, SlowConsumerLosesFramesAndTheyAreCounted) {
    Child camera = m_pipewire->startTestCamera("test-cam");
    ASSERT_TRUE(PrivatePipeWire::waitForNode("test-cam")) << camera.err();
    Child blurcam = startBlurcam("test-cam", "blurcam-test");
    ASSERT_TRUE(published(blurcam)) << blurcam.err();
    // The consumer connects and takes nothing, so every buffer stays with it, until blurcam says
    // it is dropping frames for it: no fixed wait, only that order of events.
    const std::string stalled = "a program watching is not taking frames; blurcam drops them until it does";
    Receiver slow("blurcam-test", "YUY2", 5, [&] { return blurcam.out().find(stalled) != std::string::npos; });
    ASSERT_EQ(slow.wait().error, "") << blurcam.out();
    EXPECT_EQ(countLines(blurcam.out(), stalled), 1) << "said once per consumer:\n" << blurcam.out();
    // blurcam went on processing meanwhile, and a fast consumer is served at once afterwards.
    const Received fast = receive("blurcam-test", "YUY2", 10);
    ASSERT_EQ(fast.error, "");
    EXPECT_EQ(blurcam.stop(), 128 + SIGINT);
    const std::string out = blurcam.out();
    EXPECT_GT(summaryNumber(out, R"((\d+) dropped)"), 0) << out;
    EXPECT_GT(summaryNumber(out, R"((\d+) processed)"), 0) << out;
}

TEST_F(VirtualCamera, SurvivesTheDaemonGoingAwayAndComesBack) {
    Child camera = m_pipewire->startTestCamera("test-cam");
    ASSERT_TRUE(PrivatePipeWire::waitForNode("test-cam")) << camera.err();
    Child blurcam = startBlurcam("test-cam", "blurcam-test");
    ASSERT_TRUE(published(blurcam)) << blurcam.err();
    ASSERT_EQ(receive("blurcam-test", "YUY2", 10).error, "");

    camera.stop(SIGTERM);
    m_pipewire->stopDaemons();
    ASSERT_TRUE(pollUntil([&] {
        return blurcam.err().find("lost the connection to the PipeWire daemon") != std::string::npos;
    })) << blurcam.err();
    ASSERT_TRUE(blurcam.running()) << "blurcam keeps running without a daemon";

    ASSERT_EQ(m_pipewire->startDaemons(), "");
    camera = m_pipewire->startTestCamera("test-cam");
    // The node comes back by itself (blurcam retries each second), and so does the input; a
    // consumer can only connect once the node is there.
    ASSERT_TRUE(PrivatePipeWire::waitForNode("blurcam-test")) << blurcam.out() << blurcam.err();
    const Received again = receive("blurcam-test", "YUY2", 10);
    ASSERT_EQ(again.error, "") << blurcam.out() << blurcam.err();
    ASSERT_TRUE(pollUntil([&] { return blurcam.out().find("is back") != std::string::npos; })) << blurcam.out();
    EXPECT_EQ(blurcam.stop(), 128 + SIGINT) << blurcam.err();
    const std::string err = blurcam.err();
    EXPECT_EQ(countLines(err, "lost the connection to the PipeWire daemon"), 1) << "one message, not one per retry:\n"
                                                                                << err;
}

// ---- without a daemon ---------------------------------------------------------------------------

/// An empty runtime directory: no daemon answers there.
class NoDaemon : public ::testing::Test {
  protected:
    void SetUp() override {
        char directory[] = "/tmp/blurcam-nopw-XXXXXX";
        ASSERT_NE(::mkdtemp(directory), nullptr);
        m_runtime = directory;
        m_log = m_runtime / "blurcam";
    }
    void TearDown() override { fs::remove_all(m_runtime); }

    Child run(std::vector<std::string> argv) {
        argv.insert(argv.begin(), kCli);
        // The child gets the empty directory; this process keeps its own environment.
        std::vector<std::string> withEnv{"env", "XDG_RUNTIME_DIR=" + m_runtime.string(),
                                         "PIPEWIRE_RUNTIME_DIR=" + m_runtime.string()};
        withEnv.insert(withEnv.end(), argv.begin(), argv.end());
        return Child(withEnv, m_log.string() + ".out", m_log.string() + ".err");
    }

    /// Runs blurcam-cli, expects exit status 1 and one line on stderr, and returns that line.
    std::string expectOneLineFailure(std::vector<std::string> argv) {
        Child blurcam = run(std::move(argv));
        EXPECT_EQ(blurcam.wait(), 1);
        std::string err = blurcam.err();
        EXPECT_EQ(countLines(err, "\n"), 1) << err;
        return err;
    }

    fs::path m_runtime;
    fs::path m_log;
};

TEST_F(NoDaemon, PipeWireOutputSaysSoOnceAndKeepsRunning) {
    Child blurcam = run({"process", "--input", "pattern", "--output", "pipewire:nobody", "--frames", "45"});
    EXPECT_EQ(blurcam.wait(), 0) << blurcam.err();
    const std::string err = blurcam.err();
    EXPECT_EQ(countLines(err, "\n"), 1) << err;
    EXPECT_NE(err.find("no PipeWire daemon answers in " + m_runtime.string()), std::string::npos) << err;
    EXPECT_NE(blurcam.out().find("45 read, 45 processed"), std::string::npos) << blurcam.out();
}

TEST_F(NoDaemon, PipeWireInputFailsWithOneSentence) {
    Child blurcam = run({"process", "--input", "pipewire:cam", "--output", "pipewire:x", "--frames", "1"});
    EXPECT_EQ(blurcam.wait(), 1);
    EXPECT_EQ(blurcam.err(),
              "blurcam-cli: cannot read pipewire:cam: no PipeWire daemon answers in " + m_runtime.string() + "\n");
}

TEST_F(NoDaemon, MissingLoopbackDeviceSaysHowToGetOne) {
    const std::string err =
        expectOneLineFailure({"process", "--input", "pattern", "--output", "v4l2:/dev/video-blurcam-missing"});
    EXPECT_NE(err.find("v4l2:/dev/video-blurcam-missing does not exist"), std::string::npos) << err;
    EXPECT_NE(err.find("sudo apt install v4l2loopback-dkms"), std::string::npos) << err;
    EXPECT_NE(err.find("sudo modprobe v4l2loopback video_nr=10 card_label=blurcam exclusive_caps=1"), std::string::npos)
        << err;
}

TEST_F(NoDaemon, ANonLoopbackNodeIsRefused) {
    const std::string err = expectOneLineFailure({"process", "--input", "pattern", "--output", "v4l2:/dev/null"});
    EXPECT_NE(err.find("/dev/null is not a video device"), std::string::npos) << err;
    EXPECT_NE(err.find("modprobe v4l2loopback"), std::string::npos) << err;
}

// ---- the conversion on its own ------------------------------------------------------------------

TEST(OutputFrame, Yuy2DecodesBackWithinRoundingAndMirrorFlips) {
    cv::Mat rgba(48, 64, CV_8UC4);
    cv::RNG random(7);
    random.fill(rgba, cv::RNG::UNIFORM, 0, 256);
    cv::GaussianBlur(rgba, rgba, cv::Size(9, 9), 3.0); // camera-like: chroma changes slowly
    std::vector<std::uint8_t> yuy2(app::packedRowBytes(app::OutputPixelFormat::Yuy2, 64) * 48);
    app::convertRgba(rgba, app::OutputPixelFormat::Yuy2, yuy2.data(), 128);
    cv::Mat decoded;
    cv::cvtColor(cv::Mat(48, 64, CV_8UC2, yuy2.data()), decoded, cv::COLOR_YUV2RGB_YUY2);
    cv::Mat rgb;
    cv::cvtColor(rgba, rgb, cv::COLOR_RGBA2RGB);
    const Difference d = difference(decoded, rgb);
    EXPECT_LT(d.mean, 2.0);
    EXPECT_LE(d.max, 12.0);

    const cv::Mat mirrored = app::scaleForOutput(rgba, rgba.size(), true);
    EXPECT_EQ(mirrored.at<cv::Vec4b>(5, 0), rgba.at<cv::Vec4b>(5, 63));
    const cv::Mat big = app::scaleForOutput(rgba, cv::Size(640, 480), false);
    EXPECT_EQ(big.size(), cv::Size(640, 480));
}

TEST(OutputFrame, RenderOutputIsScaleThenConvert) {
    cv::Mat small(45, 80, CV_8UC4); // odd height, like an engine output at stride 2
    cv::RNG random(11);
    random.fill(small, cv::RNG::UNIFORM, 0, 256);
    cv::GaussianBlur(small, small, cv::Size(7, 7), 2.0);
    const cv::Size size(160, 90);
    for (const bool mirror : {false, true}) {
        const cv::Mat scaled = app::scaleForOutput(small, size, mirror);
        std::vector<std::uint8_t> direct(160 * 4 * 90);
        std::vector<std::uint8_t> rendered(160 * 4 * 90);
        // RGB: the same bytes.
        app::convertRgba(scaled, app::OutputPixelFormat::Bgrx, direct.data(), 640);
        app::renderOutput(small, size, mirror, app::OutputPixelFormat::Bgrx, rendered.data(), 640);
        EXPECT_EQ(direct, rendered);
        // YUY2 through the planes: the same up to rounding.
        app::convertRgba(scaled, app::OutputPixelFormat::Yuy2, direct.data(), 320);
        app::renderOutput(small, size, mirror, app::OutputPixelFormat::Yuy2, rendered.data(), 320);
        int worst = 0;
        for (std::size_t i = 0; i < 320U * 90U; ++i) {
            worst = std::max(worst, std::abs(int{direct[i]} - int{rendered[i]}));
        }
        EXPECT_LE(worst, 3) << "mirror " << mirror;
    }
}

TEST(OutputFrame, SinkSpecs) {
    EXPECT_EQ(app::parseSinkSpec("pipewire")->target, "blurcam");
    EXPECT_EQ(app::parseSinkSpec("pipewire:cam")->target, "cam");
    EXPECT_EQ(app::parseSinkSpec("v4l2:/dev/video10")->kind, app::SinkKind::V4l2);
    EXPECT_FALSE(app::parseSinkSpec("out.mp4").has_value());
    app::SinkStatus status;
    status.connected = true;
    EXPECT_EQ(app::describeWatchers(status), "no one watching");
    status.consumers = 2;
    EXPECT_EQ(app::describeWatchers(status), "2 programs watching");
}

// ---- recording ------------------------------------------------------------------------------

/// Submits frames one at a time, each once the recorder has written the one before, so the
/// count is exact; returns what the recorder says at the end.
void recordFrames(app::FrameSink& recorder, int count, cv::Size source) {
    for (int i = 0; i < count; ++i) {
        cv::Mat frame(source.height / 2, source.width / 2, CV_8UC4, cv::Scalar(i * 4 % 256, 128, 255 - i % 256, 255));
        recorder.submit(frame, source, std::chrono::steady_clock::now());
        const long long before = i;
        pollUntil([&] {
            const app::SinkStatus status = recorder.status();
            return status.framesSent > before || !status.error.empty();
        });
    }
}

int countFrames(const std::string& path, cv::Size& size) {
    cv::VideoCapture capture(path, cv::CAP_FFMPEG);
    int frames = 0;
    cv::Mat frame;
    while (capture.read(frame)) {
        size = frame.size();
        ++frames;
    }
    return frames;
}

TEST(Recording, StopGivesAPlayableFileWithEveryFrame) {
    const std::string path = "/tmp/blurcam-record-" + std::to_string(::getpid()) + ".avi";
    {
        app::SinkOptions options;
        options.fps = 30.0;
        app::OpenedSink opened = app::openFrameRecorder(path, options);
        ASSERT_NE(opened.sink, nullptr) << opened.error;
        recordFrames(*opened.sink, 45, cv::Size(320, 240));
        EXPECT_EQ(opened.sink->status().error, "");
    } // destroyed: the file is finished
    cv::Size size;
    EXPECT_EQ(countFrames(path, size), 45);
    EXPECT_EQ(size, cv::Size(320, 240)) << "the source's size, not the engine's";
    fs::remove(path);
}

TEST(Recording, AFullDiskStopsItAndKeepsWhatWasWritten) {
    const std::string path = "/tmp/blurcam-record-full-" + std::to_string(::getpid()) + ".avi";
    // The "disk" holds 256 KiB: RLIMIT_FSIZE on this process for the length of the test.
    rlimit saved{};
    ::getrlimit(RLIMIT_FSIZE, &saved);
    std::string error;
    int kept = 0;
    {
        app::SinkOptions options;
        app::OpenedSink opened = app::openFrameRecorder(path, options); // ignores SIGXFSZ
        ASSERT_NE(opened.sink, nullptr) << opened.error;
        rlimit limited = saved;
        limited.rlim_cur = 256 * 1024;
        ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
        // Noise does not compress: each 640x480 MJPEG frame is far larger than a flat one.
        for (int i = 0; i < 200 && opened.sink->status().error.empty(); ++i) {
            cv::Mat frame(240, 320, CV_8UC4);
            cv::randu(frame, 0, 256);
            opened.sink->submit(frame, cv::Size(640, 480), std::chrono::steady_clock::now());
            const long long before = i;
            pollUntil([&] {
                const app::SinkStatus status = opened.sink->status();
                return status.framesSent > before || !status.error.empty();
            });
        }
        error = opened.sink->status().error;
    }
    ::setrlimit(RLIMIT_FSIZE, &saved);
    EXPECT_NE(error.find("stopped: the disk is full"), std::string::npos) << error;
    cv::Size size;
    kept = countFrames(path, size);
    EXPECT_GT(kept, 0) << "what was written before the disk filled up still plays";
    EXPECT_NE(error.find("(the " + std::to_string(kept) + " frames before are kept and play)"), std::string::npos)
        << error << " but " << kept << " frames play";
    EXPECT_EQ(size, cv::Size(640, 480));
    fs::remove(path);
}

TEST(Recording, OnlyContainersThatSurviveBeingCutShort) {
    const app::OpenedSink opened = app::openFrameRecorder("/tmp/x.mp4", {});
    EXPECT_EQ(opened.sink, nullptr);
    EXPECT_NE(opened.error.find("recordings are MJPEG .avi files"), std::string::npos);
}

TEST(CameraModes, DefaultIsTheLargestUpTo720pAt30FpsPreferringYuyv) {
    using app::CameraMode;
    // A typical UVC camera: YUYV reaches 30 fps only at 640x480, MJPEG at every size.
    const std::vector<CameraMode> uvc{{"YUYV", 1920, 1080, 5},  {"YUYV", 1280, 720, 10}, {"YUYV", 640, 480, 30},
                                      {"MJPG", 1920, 1080, 30}, {"MJPG", 1280, 720, 30}, {"MJPG", 640, 480, 30}};
    const auto chosen = app::defaultCameraMode(uvc);
    ASSERT_TRUE(chosen.has_value());
    EXPECT_EQ(app::toString(*chosen), "1280x720 30 fps MJPG");
    // YUYV is kept where it keeps up.
    const std::vector<CameraMode> fast{{"YUYV", 1280, 720, 30}, {"MJPG", 1280, 720, 30}};
    EXPECT_EQ(app::defaultCameraMode(fast)->format, "YUYV");
    // Nothing reaches 30 fps: the largest up to 720p at its best rate.
    const std::vector<CameraMode> slow{{"YUYV", 1920, 1080, 15}, {"YUYV", 800, 600, 20}, {"YUYV", 640, 480, 25}};
    EXPECT_EQ(app::toString(*app::defaultCameraMode(slow)), "800x600 20 fps YUYV");
    EXPECT_FALSE(app::defaultCameraMode({}).has_value());
}

TEST(CameraModes, Parse) {
    EXPECT_EQ(app::parseCameraMode("1280x720")->height, 720);
    EXPECT_EQ(app::parseCameraMode("640x480@15")->fps, 15.0);
    EXPECT_EQ(app::parseCameraMode("1280x720@30:mjpg")->format, "MJPG");
    for (const char* bad : {"", "1280", "1280x", "x720", "1280x720@", "1280x720@30:H264", "0x10", "1280x720junk"}) {
        EXPECT_FALSE(app::parseCameraMode(bad).has_value()) << bad;
    }
}

} // namespace
} // namespace blurcam::test
