#include "ffmpeg_pictures.hpp"

namespace blurcam::app {

AvFramePtr allocatePicture(int width, int height, AVPixelFormat format) {
    if (width < 1 || height < 1 || format == AV_PIX_FMT_NONE) {
        return nullptr;
    }
    AvFramePtr picture(av_frame_alloc());
    if (!picture) {
        return nullptr;
    }
    picture->width = width;
    picture->height = height;
    picture->format = format;
    // Alignment 0: FFmpeg picks the one its SIMD code needs on this CPU, and pads each plane.
    if (av_frame_get_buffer(picture.get(), 0) < 0) {
        return nullptr;
    }
    return picture;
}

cv::Mat viewOfPackedPicture(const AVFrame& picture, int type) {
    return {picture.height, picture.width, type, picture.data[0], static_cast<std::size_t>(picture.linesize[0])};
}

} // namespace blurcam::app
