#include "video_file_input.hpp"

#include "ffmpeg_pictures.hpp"
#include "image_header_checks.hpp"
#include "quoted.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/mem.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <utility>

namespace blurcam::app {
namespace {

struct FormatCloser {
    void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};
struct CodecFreer {
    void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};
struct PacketFreer {
    void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct ScalerFreer {
    void operator()(SwsContext* scaler) const { sws_freeContext(scaler); }
};
/// A pipe's reading context: FFmpeg does not free a context the caller made, nor its buffer.
struct IoFreer {
    void operator()(AVIOContext* io) const {
        av_freep(&io->buffer);
        avio_context_free(&io);
    }
};

/// Bytes FFmpeg asks a pipe for at a time.
constexpr int kPipeBufferBytes = 1 << 16;

/// FFmpeg's read callback for a pipe: the InputStream replays the bytes blurcam already read.
int readPipe(void* opaque, std::uint8_t* buffer, int size) {
    const long got = static_cast<InputStream*>(opaque)->read(buffer, static_cast<std::size_t>(size));
    if (got == 0) {
        return AVERROR_EOF;
    }
    return got < 0 ? AVERROR(EIO) : static_cast<int>(got);
}

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

/// FFmpeg's own VP8 and VP9 decoders drop the alpha plane WebM carries beside each picture
/// (Matroska's BlockAdditional); libvpx's decoders read it. Null: keep FFmpeg's choice.
const AVCodec* alphaAwareDecoder(const AVStream& stream) {
    const AVDictionaryEntry* alpha = av_dict_get(stream.metadata, "alpha_mode", nullptr, 0);
    if (alpha == nullptr || std::strcmp(alpha->value, "1") != 0) {
        return nullptr;
    }
    switch (stream.codecpar->codec_id) {
    case AV_CODEC_ID_VP8: return avcodec_find_decoder_by_name("libvpx");
    case AV_CODEC_ID_VP9: return avcodec_find_decoder_by_name("libvpx-vp9");
    default: return nullptr;
    }
}

/// swscale's matrix for the picture's colour space; BT.601 where the file states none, as
/// FFmpeg's own tools assume.
int swscaleColourSpace(AVColorSpace space) {
    switch (space) {
    case AVCOL_SPC_BT709: return SWS_CS_ITU709;
    case AVCOL_SPC_FCC: return SWS_CS_FCC;
    case AVCOL_SPC_SMPTE240M: return SWS_CS_SMPTE240M;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: return SWS_CS_BT2020;
    default: return SWS_CS_DEFAULT;
    }
}

bool isFullRangeYuv(AVPixelFormat format) {
    return format == AV_PIX_FMT_YUVJ420P || format == AV_PIX_FMT_YUVJ422P || format == AV_PIX_FMT_YUVJ444P ||
           format == AV_PIX_FMT_YUVJ440P || format == AV_PIX_FMT_YUVJ411P;
}

std::string sizeText(cv::Size size) {
    return std::to_string(size.width) + "x" + std::to_string(size.height);
}

} // namespace

// Members are destroyed in reverse order: the pictures and the scaler first, then the decoder,
// then the demuxer the decoder's parameters came from, then a pipe's reading context and the
// pipe itself, which the demuxer reads through.
struct VideoFileInput::Decoder {
    std::unique_ptr<InputStream> pipe; ///< a pipe's bytes; null for a file
    std::unique_ptr<AVIOContext, IoFreer> pipeReader;
    std::unique_ptr<AVFormatContext, FormatCloser> format;
    std::unique_ptr<AVCodecContext, CodecFreer> codec;
    std::unique_ptr<AVPacket, PacketFreer> packet;
    AvFramePtr frame;
    std::unique_ptr<SwsContext, ScalerFreer> scaler; ///< RGBA conversion for the last picture's size and format
    AvFramePtr converted;                            ///< the scaler's output, at the first picture's size
    std::array<int, 3> scalerInput{};                ///< width, height and format the scaler was made for
    int scalerColourSpace = -1;                      ///< what the scaler's matrix was set for
    int scalerFullRange = -1;
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
    auto decoder = std::make_unique<Decoder>();
    AVFormatContext* format = nullptr;
    const std::string name = app::quoted(path);
    const long long errorsBefore = ffmpegErrorsSoFar();
    if (avformat_open_input(&format, ("file:" + path).c_str(), nullptr, nullptr) < 0) {
        // avformat_open_input frees the context itself on failure
        return {
            false, name + " is not an image or video blurcam can read (corrupt, truncated or unsupported format)", {}};
    }
    decoder->format.reset(format);
    return openDecoder(std::move(decoder), name, errorsBefore);
}

CallResult VideoFileInput::open(std::unique_ptr<InputStream> pipe) {
    silenceLibraryLogging();
    m_path.clear();
    m_decoder.reset();
    const std::string name = pipe->name();
    const long long errorsBefore = ffmpegErrorsSoFar();
    const auto outOfMemory = [&name] { return CallResult{false, "cannot read " + name + " (out of memory)", {}}; };
    auto decoder = std::make_unique<Decoder>();
    decoder->pipe = std::move(pipe);
    auto* buffer = static_cast<std::uint8_t*>(av_malloc(kPipeBufferBytes));
    if (buffer == nullptr) {
        return outOfMemory();
    }
    decoder->pipeReader.reset(
        avio_alloc_context(buffer, kPipeBufferBytes, 0, decoder->pipe.get(), &readPipe, nullptr, nullptr));
    if (!decoder->pipeReader) {
        av_free(buffer);
        return outOfMemory();
    }
    AVFormatContext* format = avformat_alloc_context();
    if (format == nullptr) {
        return outOfMemory();
    }
    format->pb = decoder->pipeReader.get();
    format->flags |= AVFMT_FLAG_CUSTOM_IO;
    if (avformat_open_input(&format, "", nullptr, nullptr) < 0) {
        return {false,
                name + " is not an image or video blurcam can read from a pipe (corrupt, truncated, unsupported, "
                       "or a format that must be read from a file, such as an MP4 with its index at the end)",
                {}};
    }
    decoder->format.reset(format);
    return openDecoder(std::move(decoder), name, errorsBefore);
}

CallResult VideoFileInput::openDecoder(std::unique_ptr<Decoder> decoder, const std::string& name,
                                       long long errorsBefore) {
    m_name = name;
    m_firstSize = {};
    m_resizedFrames = 0;
    const auto unreadable = [&name] {
        return CallResult{false,
                          name + " is not an image or video blurcam can read (corrupt, truncated or unsupported "
                                 "format)",
                          {}};
    };
    AVFormatContext* format = decoder->format.get();
    if (avformat_find_stream_info(format, nullptr) < 0) {
        return unreadable();
    }
    const AVCodec* codec = nullptr;
    const int stream = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (stream < 0 || codec == nullptr) {
        return {false, name + " has no video stream blurcam can decode", {}};
    }
    const AVStream& video = *format->streams[stream];
    if (const AVCodec* withAlpha = alphaAwareDecoder(video); withAlpha != nullptr) {
        codec = withAlpha;
    }
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

FrameRead VideoFileInput::read(cv::Mat& rgba, long long frameNumber) {
    FrameRead result;
    if (!m_decoder) {
        return result; // Nothing
    }
    Decoder& decoder = *m_decoder;
    const std::string subject = "frame " + std::to_string(frameNumber) + " of " + m_name;
    const auto broken = [&](const std::string& why) {
        rgba.release();
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
        // Every picture is converted at its own size and format, whatever the stream declared,
        // and scaled to the first picture's size: a stream's frames are all one size after this.
        const cv::Size size(width, height);
        if (m_firstSize.empty()) {
            m_firstSize = size;
            decoder.converted = allocatePicture(width, height, AV_PIX_FMT_RGBA);
            if (!decoder.converted) {
                return broken("cannot be decoded (out of memory)");
            }
        } else if (size != m_firstSize && m_resizedFrames++ == 0) {
            m_firstResizedFrame = frameNumber;
            m_firstOtherSize = size;
        }
        const auto format = static_cast<AVPixelFormat>(picture.format);
        const std::array<int, 3> scalerInput{width, height, picture.format};
        const bool newScaler = scalerInput != decoder.scalerInput;
        decoder.scalerInput = scalerInput;
        decoder.scaler.reset(sws_getCachedContext(decoder.scaler.release(), width, height, format, m_firstSize.width,
                                                  m_firstSize.height, AV_PIX_FMT_RGBA, SWS_BICUBIC, nullptr, nullptr,
                                                  nullptr));
        if (!decoder.scaler) {
            return broken("has a pixel format blurcam cannot convert");
        }
        setColourMatrix(decoder, picture, newScaler);
        AVFrame& converted = *decoder.converted;
        const int rows = sws_scale(decoder.scaler.get(), picture.data, picture.linesize, 0, height, converted.data,
                                   converted.linesize);
        av_frame_unref(&picture);
        if (rows != m_firstSize.height) {
            return broken("cannot be converted to RGB");
        }
        const cv::Mat view = viewOfPackedPicture(converted, CV_8UC4);
        if (decoder.rotation == 0) {
            view.copyTo(rgba); // the view's pixels are overwritten by the next frame
        } else if (const CallResult rotated = rotateFrame(view, rgba, decoder.rotation, subject); !rotated.ok) {
            rgba.release();
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
    if (m_path.empty()) {
        return {false, m_name + " is a pipe and cannot be played again from the start", {}};
    }
    return open(m_path);
}

std::string VideoFileInput::warning() const {
    if (m_resizedFrames == 0) {
        return {};
    }
    return m_name + " changes its frame size part way through (to " + sizeText(m_firstOtherSize) + " at frame " +
           std::to_string(m_firstResizedFrame) + "); " + std::to_string(m_resizedFrames) +
           (m_resizedFrames == 1 ? " frame was" : " frames were") + " scaled to its first size, " +
           sizeText(m_firstSize);
}

void VideoFileInput::setColourMatrix(Decoder& decoder, const AVFrame& picture, bool newScaler) {
    const auto format = static_cast<AVPixelFormat>(picture.format);
    const AVPixFmtDescriptor* description = av_pix_fmt_desc_get(format);
    if (description == nullptr || (description->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL)) != 0 ||
        description->nb_components < 3) {
        return; // no YUV matrix applies
    }
    const int space = swscaleColourSpace(picture.colorspace);
    const int fullRange = picture.color_range == AVCOL_RANGE_JPEG || isFullRangeYuv(format) ? 1 : 0;
    if (!newScaler && space == decoder.scalerColourSpace && fullRange == decoder.scalerFullRange) {
        return;
    }
    const int* coefficients = sws_getCoefficients(space);
    // Brightness 0, contrast and saturation 1.0 (16.16 fixed point): only the matrix and range.
    sws_setColorspaceDetails(decoder.scaler.get(), coefficients, fullRange, sws_getCoefficients(SWS_CS_DEFAULT), 1, 0,
                             1 << 16, 1 << 16);
    decoder.scalerColourSpace = space;
    decoder.scalerFullRange = fullRange;
}

cv::Size VideoFileInput::declaredFrameSize() const {
    return m_decoder ? m_decoder->declared : cv::Size();
}

double VideoFileInput::framesPerSecond() const {
    return m_decoder ? m_decoder->framesPerSecond : 0.0;
}

} // namespace blurcam::app
