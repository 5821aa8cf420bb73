#include "row_kernels.hpp"

namespace blurcam::cpu {

void columnPassScalar(const ColumnPassArgs& args) {
    for (int value = 0; value < args.valueCount; ++value) {
        std::uint32_t sum = 0;
        for (int tap = 0; tap < args.kernelSize; ++tap) {
            if (args.rows[tap] != nullptr) {
                sum += (static_cast<std::uint32_t>(args.rows[tap][value]) * 256U * args.taps[tap]) >> 16;
            }
        }
        args.out[value] = static_cast<std::uint16_t>(sum);
    }
}

void rowPassScalar(const RowPassArgs& args) {
    for (int x = 0; x < args.outWidth; ++x) {
        const std::uint16_t* first = args.extended + static_cast<std::ptrdiff_t>(x) * args.stride * 4;
        for (int channel = 0; channel < 4; ++channel) {
            std::uint32_t sum = 0;
            for (int tap = 0; tap < args.kernelSize; ++tap) {
                sum += (static_cast<std::uint32_t>(first[tap * 4 + channel]) * args.taps[tap]) >> 16;
            }
            args.out[x * 4 + channel] = static_cast<std::uint8_t>((sum + args.roundingBias) >> 8);
        }
    }
}

} // namespace blurcam::cpu
