#pragma once
// The writers behind openFrameWriter(), one file each; only frame_writer.cpp makes them.

#include "frame_writer.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace blurcam::app::detail {

/// Encodes for the extension (PNG keeps alpha; JPEG and BMP drop it); false when it cannot.
bool encodeImage(const std::string& extension, const cv::Mat& rgba, std::vector<std::uint8_t>& bytes);

std::string lowerExtension(const std::filesystem::path& path);

/// "3 frames", "1 frame".
std::string countOf(long long n, const std::string& noun);

/// The frames a directory writer writes: frame_000000.png, frame_000001.png, ...
std::string frameFileName(long long index);
/// A regular file (or a link to one) named like a frame: what an earlier run left. A folder of
/// that name is not a frame and is never moved.
bool isFrameFile(const std::filesystem::directory_entry& entry);

std::unique_ptr<FrameWriter> makeDirectoryWriter(std::filesystem::path directory, bool overwrite);
std::unique_ptr<FrameWriter> makeVideoWriter(std::filesystem::path path, double fps);

} // namespace blurcam::app::detail
