// The live sinks' own threads in-process, so ThreadSanitizer (ci-tsan) sees them: the V4L2 sink's
// thread (on a pipe: there is no v4l2loopback device here, so it gets as far as setting the
// format, which a pipe refuses) and the recorder's thread. Every wait is on a condition the sink
// reports through onStatus or on the sink's destruction, never on time.
#include "frame_recorder.hpp"
#include "sink_support.hpp"

#include <gtest/gtest.h>
#include <opencv2/videoio.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace blurcam::app {
namespace {

namespace fs = std::filesystem;

/// Collects what onStatus reports, from whichever thread reports it.
class StatusLog {
  public:
    std::function<void(const SinkStatus&)> callback() {
        return [this](const SinkStatus& status) {
            const std::lock_guard lock(m_mutex);
            m_statuses.push_back(status);
            m_changed.notify_all();
        };
    }
    /// Waits for a status with an error and returns that error.
    std::string waitForError() {
        std::unique_lock lock(m_mutex);
        std::string error;
        m_changed.wait(lock, [&] {
            for (const SinkStatus& status : m_statuses) {
                if (!status.error.empty()) {
                    error = status.error;
                    return true;
                }
            }
            return false;
        });
        return error;
    }
    std::vector<SinkStatus> statuses() {
        const std::lock_guard lock(m_mutex);
        return m_statuses;
    }

  private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<SinkStatus> m_statuses;
};

cv::Mat rgbaFrame(int value) {
    return {48, 64, CV_8UC4, cv::Scalar(value % 256, 128, 255 - value % 256, 255)};
}

/// A pipe whose write end the sink owns; the read end is closed here.
struct Pipe {
    int readEnd = -1;
    int writeEnd = -1;
    Pipe() {
        int fds[2];
        EXPECT_EQ(::pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
        readEnd = fds[0];
        writeEnd = fds[1];
    }
    ~Pipe() { ::close(readEnd); }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
};

TEST(V4l2SinkThread, TheFirstFrameWakesTheThreadWhichNamesTheDeviceItCannotSetUp) {
    Pipe pipe;
    StatusLog log;
    SinkOptions options;
    options.fps = 240.0;
    options.onStatus = log.callback();
    std::unique_ptr<FrameSink> sink = detail::startV4l2Sink("/dev/video-test", pipe.writeEnd, options);
    // Frames keep coming from another thread while the sink's thread wakes and fails.
    constexpr int kFrames = 200;
    std::thread producer([&] {
        for (int i = 0; i < kFrames; ++i) {
            sink->submit(rgbaFrame(i), {64, 48}, std::chrono::steady_clock::now());
        }
    });
    const std::string error = log.waitForError();
    producer.join();
    EXPECT_NE(error.find("cannot set YUYV 64x48 on /dev/video-test"), std::string::npos) << error;
    const SinkStatus status = sink->status();
    EXPECT_EQ(status.framesSubmitted, kFrames);
    EXPECT_FALSE(status.connected);
    sink.reset();
}

TEST(V4l2SinkThread, StopsWhileWaitingForTheFirstFrame) {
    Pipe pipe;
    StatusLog log;
    SinkOptions options;
    options.onStatus = log.callback();
    std::unique_ptr<FrameSink> sink = detail::startV4l2Sink("/dev/video-test", pipe.writeEnd, options);
    sink.reset(); // joins the thread that waits for a frame
    EXPECT_TRUE(log.statuses().empty());
}

class FrameRecorderThread : public ::testing::Test {
  protected:
    FrameRecorderThread() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::path(::testing::TempDir()) /
                ("blurcam-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    ~FrameRecorderThread() override { fs::remove_all(m_dir); }
    fs::path m_dir;
};

TEST_F(FrameRecorderThread, EveryFrameIsWrittenOrCountedAsDropped) {
    const fs::path path = m_dir / "recording.avi";
    StatusLog log;
    SinkOptions options;
    options.fps = 30.0;
    options.onStatus = log.callback();
    OpenedSink opened = openFrameRecorder(path.string(), options);
    ASSERT_TRUE(opened.sink) << opened.error;
    constexpr int kFrames = 60;
    std::thread producer([&] {
        for (int i = 0; i < kFrames; ++i) {
            opened.sink->submit(rgbaFrame(i), {64, 48}, std::chrono::steady_clock::now());
        }
    });
    producer.join();
    opened.sink.reset(); // writes what is queued and finishes the file
    const std::vector<SinkStatus> statuses = log.statuses();
    ASSERT_FALSE(statuses.empty());
    const SinkStatus& last = statuses.back();
    EXPECT_TRUE(last.error.empty()) << last.error;
    EXPECT_FALSE(last.connected) << "the last report is the finished recording";
    EXPECT_EQ(last.framesSubmitted, kFrames);
    EXPECT_EQ(last.framesSent + last.framesDropped, kFrames);
    cv::VideoCapture capture(path.string(), cv::CAP_FFMPEG);
    long long frames = 0;
    for (cv::Mat frame; capture.read(frame);) {
        EXPECT_EQ(frame.size(), cv::Size(64, 48));
        ++frames;
    }
    EXPECT_EQ(frames, last.framesSent);
}

TEST_F(FrameRecorderThread, AFailureOnItsThreadBecomesTheRecordingsError) {
    const fs::path path = m_dir / "recording.avi";
    StatusLog log;
    SinkOptions options;
    options.onStatus = log.callback();
    OpenedSink opened = openFrameRecorder(path.string(), options);
    ASSERT_TRUE(opened.sink) << opened.error;
    opened.sink->submit(rgbaFrame(0), {64, 48}, std::chrono::steady_clock::now());
    // Not RGBA: the conversion on the recorder's thread throws.
    opened.sink->submit(cv::Mat(48, 64, CV_8UC3, cv::Scalar::all(7)), {64, 48}, std::chrono::steady_clock::now());
    const std::string error = log.waitForError();
    EXPECT_EQ(error.rfind("recording to '" + path.string() + "' stopped: ", 0), 0U) << error;
    opened.sink->submit(rgbaFrame(2), {64, 48}, std::chrono::steady_clock::now()); // ignored now
    opened.sink.reset();
    cv::VideoCapture capture(path.string(), cv::CAP_FFMPEG);
    long long frames = 0;
    for (cv::Mat frame; capture.read(frame);) {
        ++frames;
    }
    EXPECT_EQ(frames, 1) << "the frame before the failure is kept and plays";
}

} // namespace
} // namespace blurcam::app
