// libFuzzer target: arbitrary bytes as every kind of file the CLI and the app read (PNG, JPEG,
// BMP, AVI, MP4). Opening and reading must end in a frame, end of stream or a clear error.
#include "frame_source.hpp"
#include "opencv_quiet.hpp"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool quiet = (blurcam::app::quietenOpenCvLogging(), true);
    (void)quiet;
    if (size == 0) {
        return 0;
    }
    static const char* extensions[] = {".png", ".jpg", ".bmp", ".avi", ".mp4"};
    const std::string path = "/tmp/blurcam-reader-fuzz-" + std::to_string(getpid()) + extensions[data[0] % 5];
    {
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        file.write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
    }
    blurcam::app::OpenedSource opened = blurcam::app::openFrameSource(path);
    if (opened.source) {
        cv::Mat frame;
        for (int frames = 0; frames < 8; ++frames) {
            const blurcam::app::ReadStatus status = opened.source->read(frame);
            if (status == blurcam::app::ReadStatus::Frame && (frame.type() != CV_8UC4 || frame.empty())) {
                std::fprintf(stderr, "a frame that is not RGBA8\n");
                std::abort();
            }
            if (status == blurcam::app::ReadStatus::EndOfStream || status == blurcam::app::ReadStatus::Error) {
                break;
            }
        }
    } else if (opened.error.empty()) {
        std::fprintf(stderr, "failure without a message\n");
        std::abort();
    }
    std::remove(path.c_str());
    return 0;
}
