#include "opencv_quiet.hpp"

#include <opencv2/core/utils/logger.hpp>

#include <cstdlib>

namespace blurcam::app {

void quietenOpenCvLogging() {
    if (std::getenv("OPENCV_LOG_LEVEL") == nullptr) {
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    }
    // OpenCV's FFmpeg wrapper reads this when the first capture opens; AV_LOG_QUIET is -8.
    if (std::getenv("OPENCV_FFMPEG_DEBUG") == nullptr) {
        setenv("OPENCV_FFMPEG_LOGLEVEL", "-8", 0);
    }
}

} // namespace blurcam::app
