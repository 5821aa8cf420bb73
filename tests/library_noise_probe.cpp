// Reads a file the way the desktop app does: openFrameSource, then every frame (at most 1000),
// without calling silenceLibraryLogging first. The app's main() does call it, but any thread may
// be the first to open a file, so the boundary must keep the libraries quiet on its own.
// Prints what it read on stdout; tests expect nothing at all on stderr.
#include "frame_source.hpp"

#include <cstdio>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::printf("usage: blurcam_library_noise_probe FILE\n");
        return 2;
    }
    blurcam::app::OpenedSource opened = blurcam::app::openFrameSource(argv[1]);
    if (!opened.source) {
        std::printf("not opened\n");
        return 0;
    }
    int frames = 0;
    int bad = 0;
    cv::Mat frame;
    for (int reads = 0; reads < 1000; ++reads) {
        const blurcam::app::ReadStatus status = opened.source->read(frame);
        if (status == blurcam::app::ReadStatus::Frame) {
            ++frames;
        } else if (status == blurcam::app::ReadStatus::BadFrame) {
            ++bad;
        } else {
            break;
        }
    }
    std::printf("%d frames, %d bad\n", frames, bad);
    return 0;
}
