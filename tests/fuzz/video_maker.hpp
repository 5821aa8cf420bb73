#pragma once
// The reader fuzzer's structure-aware mode: a small, valid video of a size, pixel format and codec
// the fuzzer chooses, encoded in process with FFmpeg's libraries. Random bytes almost never make a
// decodable video, let alone one of every geometry, and geometry is where readers overflow (a
// 360-pixel-wide 4:2:0 picture once wrote past a buffer): this walks it.
#include "ffmpeg_pictures.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace blurcam::fuzz {

struct VideoRecipe {
    int width = 1;  ///< 1..64
    int height = 1; ///< 1..64
    AVPixelFormat pixels = AV_PIX_FMT_YUV420P;
    const char* encoder = "ffv1";
    const char* muxer = "matroska";
    int frames = 2;
};

/// What the first five bytes choose: width, height, pixel format, codec, frame count.
inline VideoRecipe recipeFrom(const std::uint8_t* data, std::size_t size) {
    static constexpr AVPixelFormat kPixelFormats[] = {
        AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUV422P, AV_PIX_FMT_YUV444P,     AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P,
        AV_PIX_FMT_NV12,    AV_PIX_FMT_NV21,    AV_PIX_FMT_YUV420P10LE, AV_PIX_FMT_YUYV422,  AV_PIX_FMT_RGB24,
        AV_PIX_FMT_BGRA,    AV_PIX_FMT_GRAY8,   AV_PIX_FMT_YUVA420P,    AV_PIX_FMT_GBRP,     AV_PIX_FMT_RGB48LE,
    };
    // Codec and container pairs that take many formats; the encoder refuses the rest.
    static constexpr std::pair<const char*, const char*> kEncoders[] = {
        {"ffv1", "matroska"}, {"rawvideo", "nut"}, {"mjpeg", "avi"}, {"mpeg4", "mp4"}, {"png", "mov"}, {"qtrle", "mov"},
    };
    const auto at = [&](std::size_t index) { return index < size ? data[index] : std::uint8_t{0}; };
    VideoRecipe recipe;
    recipe.width = 1 + at(0) % 64;
    recipe.height = 1 + at(1) % 64;
    recipe.pixels = kPixelFormats[at(2) % std::size(kPixelFormats)];
    const auto& [encoder, muxer] = kEncoders[at(3) % std::size(kEncoders)];
    recipe.encoder = encoder;
    recipe.muxer = muxer;
    recipe.frames = 1 + at(4) % 3;
    return recipe;
}

/// Writes the recipe's video to path, filling the planes with pixels (repeated). False when the
/// encoder or container does not take the combination (the input is then skipped).
inline bool writeVideo(const std::string& path, const VideoRecipe& recipe, const std::uint8_t* pixels,
                       std::size_t pixelBytes) {
    struct FormatFreer {
        void operator()(AVFormatContext* context) const {
            if (context->pb != nullptr) {
                avio_closep(&context->pb);
            }
            avformat_free_context(context);
        }
    };
    struct CodecFreer {
        void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
    };
    struct PacketFreer {
        void operator()(AVPacket* packet) const { av_packet_free(&packet); }
    };
    const AVCodec* codec = avcodec_find_encoder_by_name(recipe.encoder);
    if (codec == nullptr) {
        return false;
    }
    std::unique_ptr<AVCodecContext, CodecFreer> encoder(avcodec_alloc_context3(codec));
    encoder->width = recipe.width;
    encoder->height = recipe.height;
    encoder->pix_fmt = recipe.pixels;
    encoder->time_base = {1, 10};
    encoder->framerate = {10, 1};
    encoder->thread_count = 1;
    encoder->strict_std_compliance = FF_COMPLIANCE_EXPERIMENTAL;
    AVFormatContext* rawFormat = nullptr;
    if (avformat_alloc_output_context2(&rawFormat, nullptr, recipe.muxer, nullptr) < 0) {
        return false;
    }
    std::unique_ptr<AVFormatContext, FormatFreer> format(rawFormat);
    if ((format->oformat->flags & AVFMT_GLOBALHEADER) != 0) {
        encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    }
    if (avcodec_open2(encoder.get(), codec, nullptr) < 0) {
        return false;
    }
    AVStream* stream = avformat_new_stream(format.get(), nullptr);
    if (stream == nullptr || avcodec_parameters_from_context(stream->codecpar, encoder.get()) < 0) {
        return false;
    }
    stream->time_base = encoder->time_base;
    if (avio_open(&format->pb, ("file:" + path).c_str(), AVIO_FLAG_WRITE) < 0 ||
        avformat_write_header(format.get(), nullptr) < 0) {
        return false;
    }
    std::unique_ptr<AVPacket, PacketFreer> packet(av_packet_alloc());
    const auto drain = [&] {
        while (avcodec_receive_packet(encoder.get(), packet.get()) == 0) {
            // One frame time each: MP4 and MOV give a last sample with no duration no time to show,
            // and FFmpeg's own demuxer then drops it.
            packet->duration = 1;
            av_packet_rescale_ts(packet.get(), encoder->time_base, stream->time_base);
            packet->stream_index = stream->index;
            if (av_interleaved_write_frame(format.get(), packet.get()) < 0) {
                return false;
            }
        }
        return true;
    };
    std::size_t next = 0;
    for (int index = 0; index < recipe.frames; ++index) {
        app::AvFramePtr frame = app::allocatePicture(recipe.width, recipe.height, recipe.pixels);
        if (!frame) {
            return false;
        }
        // Every byte of every plane, padding included, from the fuzzer's bytes.
        for (int plane = 0; plane < AV_NUM_DATA_POINTERS && frame->buf[plane] != nullptr; ++plane) {
            AVBufferRef& buffer = *frame->buf[plane];
            for (std::size_t byte = 0; byte < buffer.size; ++byte) {
                buffer.data[byte] = pixelBytes == 0 ? std::uint8_t(byte) : pixels[next++ % pixelBytes];
            }
        }
        frame->pts = index;
        if (avcodec_send_frame(encoder.get(), frame.get()) < 0 || !drain()) {
            return false;
        }
    }
    avcodec_send_frame(encoder.get(), nullptr);
    return drain() && av_write_trailer(format.get()) == 0;
}

} // namespace blurcam::fuzz
