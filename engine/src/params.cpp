#include "blurcam/params.hpp"

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

namespace blurcam {
namespace {

[[noreturn]] void reject(std::string_view parameter, const auto& value, std::string_view rule) {
    std::ostringstream message;
    message << "invalid " << parameter << " " << value << ": " << rule;
    throw std::invalid_argument(message.str());
}

template <typename View>
void validateFrame(std::string_view which, const View& frame) {
    const std::string name(which);
    if (frame.data == nullptr) {
        reject(name + " data", "null", "a frame needs pixel data");
    }
    if (frame.width < 1) {
        reject(name + " width", frame.width, "must be at least 1");
    }
    if (frame.height < 1) {
        reject(name + " height", frame.height, "must be at least 1");
    }
    const auto minimumStride = static_cast<std::size_t>(frame.width) * kChannels;
    if (frame.strideBytes < minimumStride) {
        std::ostringstream rule;
        rule << "must be at least 4*width = " << minimumStride << " bytes";
        reject(name + " row stride", frame.strideBytes, rule.str());
    }
}

} // namespace

void validate(const BlurParams& params) {
    if (!std::isfinite(params.sigma) || params.sigma <= 0.0 || params.sigma > kMaxSigma) {
        reject("sigma", params.sigma, "must be finite, greater than 0 and at most " + std::to_string(int(kMaxSigma)));
    }
    if (params.kernelSize < 1 || params.kernelSize > kMaxKernelSize || params.kernelSize % 2 == 0) {
        reject("kernel size", params.kernelSize, "must be odd and between 1 and " + std::to_string(kMaxKernelSize));
    }
    if (params.kernel == KernelKind::Binomial && params.kernelSize != kBinomialKernelSize) {
        reject("kernel size", params.kernelSize,
               "the binomial kernel [1 4 6 4 1]/16 is " + std::to_string(kBinomialKernelSize) + " wide");
    }
    if (params.stride != 1 && params.stride != 2) {
        reject("stride", params.stride, "must be 1 or 2");
    }
    if (findNamed(kEdgeModes, params.edge) == nullptr) {
        reject("edge mode", static_cast<int>(params.edge), "unknown value");
    }
    if (findNamed(kKernelKinds, params.kernel) == nullptr) {
        reject("kernel", static_cast<int>(params.kernel), "unknown value");
    }
}

void validate(const ImageView& src, const MutableImageView& dst, const BlurParams& params) {
    validate(params);
    validateFrame("input", src);
    validateFrame("output", dst);
    const Size expected = outputSize(src.size(), params.stride);
    if (dst.size() != expected) {
        std::ostringstream value;
        value << dst.width << "x" << dst.height;
        std::ostringstream rule;
        rule << "must be " << expected.width << "x" << expected.height << " for a " << src.width << "x" << src.height
             << " input at stride " << params.stride;
        reject("output size", value.str(), rule.str());
    }
}

Size outputSize(Size input, int stride) {
    if (stride < 1) {
        reject("stride", stride, "must be 1 or 2");
    }
    return {(input.width + stride - 1) / stride, (input.height + stride - 1) / stride};
}

int autoKernelSize(double sigma) {
    if (!std::isfinite(sigma) || sigma <= 0.0) {
        return 1;
    }
    const double size = 2.0 * std::ceil(3.0 * sigma) + 1.0;
    return size >= kMaxKernelSize ? kMaxKernelSize : static_cast<int>(size);
}

std::string_view toString(EdgeMode mode) {
    const auto* entry = findNamed(kEdgeModes, mode);
    return entry != nullptr ? entry->name : "unknown";
}

std::string_view toString(KernelKind kind) {
    const auto* entry = findNamed(kKernelKinds, kind);
    return entry != nullptr ? entry->name : "unknown";
}

std::optional<EdgeMode> parseEdgeMode(std::string_view text) {
    return parseNamed(kEdgeModes, text);
}

std::optional<KernelKind> parseKernelKind(std::string_view text) {
    return parseNamed(kKernelKinds, text);
}

int foldCoordinate(int coordinate, int length, EdgeMode mode) {
    if (coordinate >= 0 && coordinate < length) {
        return coordinate;
    }
    switch (mode) {
    case EdgeMode::Zero: return -1;
    case EdgeMode::Clamp: return coordinate < 0 ? 0 : length - 1;
    case EdgeMode::Mirror: {
        if (length == 1) {
            return 0;
        }
        // dcb|abcd|cba repeats with period 2*(length-1).
        const int period = 2 * (length - 1);
        int folded = coordinate % period;
        if (folded < 0) {
            folded += period;
        }
        return folded < length ? folded : period - folded;
    }
    case EdgeMode::Reflect: {
        // cba|abcd|dcb repeats with period 2*length.
        const int period = 2 * length;
        int folded = coordinate % period;
        if (folded < 0) {
            folded += period;
        }
        return folded < length ? folded : period - 1 - folded;
    }
    case EdgeMode::Wrap: {
        int folded = coordinate % length;
        return folded < 0 ? folded + length : folded;
    }
    }
    return -1;
}

} // namespace blurcam
