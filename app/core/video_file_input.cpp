#include "video_file_input.hpp"
#include "quoted.hpp"

#include "image_header_checks.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <new>
#include <utility>

namespace blurcam::app {
namespace {

std::string inQuotes(const std::string& text) {
    return app::quoted(text);
}

struct FormatCloser {
    void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};
struct CodecFreer {
    void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};
struct PacketFreer {
    void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct FrameFreer {
    void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
struct ScalerFreer {
    void operator()(SwsContext* scaler) const { sws_freeContext(scaler); }
};

/// Degrees clockwise that make the picture upright, from the stream's display matrix (phones
/// store portrait video sideways with this matrix); the same rule OpenCV's capture applies.
int uprightRotation(const AVStream& stream) {
    const std::uint8_t* matrix = av_stream_get_side_data(&stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr);
    if (matrix == nullptr) {
        return 0;
    }
    const double counterClockwise = av_display_rotation_get(reinterpret_cast<const std::int32_t*>(matrix));
    if (!std::isfinite(counterClockwise)) {
        return 0;
    }
    const long quarterTurns = std::lround(-counterClockwise / 90.0);
    return static_cast<int>(((quarterTurns % 4) + 4) % 4) * 90;
}

} // namespace

// Members are destroyed in reverse order: the scaler, frame and packet first, then the decoder,
// then the demuxer the decoder's parameters came from.
struct VideoFileInput::Decoder {
    std::unique_ptr<AVFormatContext, FormatCloser> format;
    std::unique_ptr<AVCodecContext, CodecFreer> codec;
    std::unique_ptr<AVPacket, PacketFreer> packet;
    std::unique_ptr<AVFrame, FrameFreer> frame;
    std::unique_ptr<SwsContext, ScalerFreer> scaler; ///< BGR conversion for the last picture's size and format
    int stream = -1;
    int rotation = 0;        ///< degrees clockwise
    bool inputEnded = false; ///< the demuxer has no more packets; the decoder is being drained
    cv::Size declared;
    double framesPerSecond = 0.0;
};

VideoFileInput::VideoFileInput() = default;
VideoFileInput::~VideoFileInput() = default;

CallResult VideoFileInput::open(const std::string& path) {
    silenceLibraryLogging();
    m_path = path;
    m_decoder.reset();
    const std::string name = inQuotes(path);
    const auto unreadable = [&name] {
        return CallResult{false,
                          name + " is not an image or video blurcam can read (corrupt, truncated or unsupported "
                                 "format)",
                          {}};
    };
    auto decoder = std::make_unique<Decoder>();
    const long long errorsBefore = ffmpegErrorsSoFar();

    AVFormatContext* format = nullptr;
    if (avformat_open_input(&format, ("file:" + path).c_str(), nullptr, nullptr) < 0) {
        return unreadable(); // avformat_open_input frees the context itself on failure
    }
    decoder->format.reset(format);
    if (avformat_find_stream_info(format, nullptr) < 0) {
        return unreadable();
    }
    const AVCodec* codec = nullptr;
    const int stream = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (stream < 0 || codec == nullptr) {
        return {false, name + " has no video stream blurcam can decode", {}};
    }
    const AVStream& video = *format->streams[stream];
    decoder->stream = stream;
    decoder->declared = {video.codecpar->width, video.codecpar->height};
    const auto side = static_cast<std::uint64_t>(std::max(video.codecpar->width, video.codecpar->height));
    if (side > kMaxImageSide) {
        return {false,
                name + " claims " + std::to_string(video.codecpar->width) + "x" +
                    std::to_string(video.codecpar->height) + " pixels per frame, more than blurcam accepts (at most " +
                    std::to_string(kMaxImageSide) + " on a side)",
                {}};
    }
    decoder->codec.reset(avcodec_alloc_context3(codec));
    decoder->packet.reset(av_packet_alloc());
    decoder->frame.reset(av_frame_alloc());
    if (!decoder->codec || !decoder->packet || !decoder->frame) {
        return {false, "cannot open " + name + " (out of memory)", {}};
    }
    if (avcodec_parameters_to_context(decoder->codec.get(), video.codecpar) < 0) {
        return unreadable();
    }
    decoder->codec->thread_count = 0; // FFmpeg's choice: one per CPU this process may run on
    if (avcodec_open2(decoder->codec.get(), codec, nullptr) < 0) {
        return {false, name + " has no video stream blurcam can decode (its decoder does not start)", {}};
    }
    decoder->rotation = uprightRotation(video);
    const AVRational rate = video.avg_frame_rate.num > 0 ? video.avg_frame_rate : video.r_frame_rate;
    decoder->framesPerSecond = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0.0;
    m_decoder = std::move(decoder);
    if (ffmpegErrorsSoFar() != errorsBefore) {
        return {true, {}, name + " has damaged data (the demuxer or decoder reported errors while opening it)"};
    }
    return {true, {}, {}};
}

FrameRead VideoFileInput::read(cv::Mat& bgr, long long frameNumber) {
    FrameRead result;
    if (!m_decoder) {
        return result; // Nothing
    }
    Decoder& decoder = *m_decoder;
    const std::string subject = "frame " + std::to_string(frameNumber) + " of " + inQuotes(m_path);
    const auto broken = [&](const std::string& why) {
        bgr.release();
        av_frame_unref(decoder.frame.get());
        result.kind = FrameReadKind::Broken;
        result.error = subject + " " + why;
        return result;
    };
    const long long errorsBefore = ffmpegErrorsSoFar();
    try {
        for (;;) {
            const int received = avcodec_receive_frame(decoder.codec.get(), decoder.frame.get());
            if (received == AVERROR_EOF) {
                result.kind = FrameReadKind::Nothing;
                return result;
            }
            if (received == AVERROR(EAGAIN)) {
                if (decoder.inputEnded) { // a drained decoder that still wants input: nothing is left
                    result.kind = FrameReadKind::Nothing;
                    return result;
                }
                if (av_read_frame(decoder.format.get(), decoder.packet.get()) < 0) {
                    // The end of the file, or data the demuxer cannot parse any further: no more
                    // packets either way. Drain the pictures the decoder still holds.
                    decoder.inputEnded = true;
                    avcodec_send_packet(decoder.codec.get(), nullptr);
                    continue;
                }
                if (decoder.packet->stream_index != decoder.stream) {
                    av_packet_unref(decoder.packet.get());
                    continue;
                }
                // Every picture is received before a packet is sent, so the decoder never answers
                // "full" (EAGAIN) here; any error is this packet's.
                const int sent = avcodec_send_packet(decoder.codec.get(), decoder.packet.get());
                av_packet_unref(decoder.packet.get());
                if (sent < 0) {
                    return broken("cannot be decoded (the decoder rejected its data)");
                }
                continue;
            }
            if (received < 0) { // with frame threads, a packet's failure is reported here
                return broken("cannot be decoded (the decoder rejected its data)");
            }
            break;
        }
        AVFrame& picture = *decoder.frame;
        const int width = picture.width;
        const int height = picture.height;
        if (width < 1 || height < 1 || static_cast<std::uint64_t>(std::max(width, height)) > kMaxImageSide) {
            return broken("claims " + std::to_string(width) + "x" + std::to_string(height) +
                          " pixels, which blurcam does not accept");
        }
        // Converted at this picture's own size and format, whatever the stream declared.
        decoder.scaler.reset(sws_getCachedContext(decoder.scaler.release(), width, height,
                                                  static_cast<AVPixelFormat>(picture.format), width, height,
                                                  AV_PIX_FMT_BGR24, SWS_BICUBIC, nullptr, nullptr, nullptr));
        if (!decoder.scaler) {
            return broken("has a pixel format blurcam cannot convert");
        }
        cv::Mat converted(height, width, CV_8UC3);
        std::uint8_t* planes[4] = {converted.data, nullptr, nullptr, nullptr};
        const int strides[4] = {static_cast<int>(converted.step[0]), 0, 0, 0};
        const int rows = sws_scale(decoder.scaler.get(), picture.data, picture.linesize, 0, height, planes, strides);
        av_frame_unref(&picture);
        if (rows != height) {
            return broken("cannot be converted to RGB");
        }
        const CallResult rotated = rotateFrame(converted, bgr, decoder.rotation, subject);
        if (!rotated.ok) {
            bgr.release();
            result.kind = FrameReadKind::Broken;
            result.error = rotated.error;
            return result;
        }
        result.kind = FrameReadKind::Picture;
        result.complained = ffmpegErrorsSoFar() != errorsBefore;
        return result;
    } catch (const std::bad_alloc&) {
        return broken("cannot be decoded (out of memory)");
    } catch (...) {
        return broken("cannot be decoded (the decoder failed)");
    }
}

CallResult VideoFileInput::rewind() {
    return open(m_path);
}

cv::Size VideoFileInput::declaredFrameSize() const {
    return m_decoder ? m_decoder->declared : cv::Size();
}

double VideoFileInput::framesPerSecond() const {
    return m_decoder ? m_decoder->framesPerSecond : 0.0;
}

} // namespace blurcam::app
