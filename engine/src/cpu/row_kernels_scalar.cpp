#include "row_kernels.hpp"

#include <cstddef>

namespace blurcam::cpu {

void columnPassScalarTail(const ColumnPassArgs& args, int firstPixel) {
    for (int x = firstPixel; x < args.pixelCount; ++x) {
        std::uint16_t* target = args.outOdd == nullptr ? args.out + std::ptrdiff_t{4} * x
                                : (x % 2 == 0)         ? args.out + std::ptrdiff_t{4} * (x / 2)
                                                       : args.outOdd + std::ptrdiff_t{4} * (x / 2);
        for (int channel = 0; channel < 4; ++channel) {
            std::uint32_t sum = 0;
            for (int tap = 0; tap < args.kernelSize; ++tap) {
                sum += (static_cast<std::uint32_t>(args.rows[tap][4 * x + channel]) * 256U * args.taps[tap]) >> 16;
            }
            target[channel] = static_cast<std::uint16_t>(sum);
        }
    }
}

void rowPassScalarTail(const RowPassArgs& args, int firstValue) {
    for (int value = firstValue; value < args.valueCount; ++value) {
        std::uint32_t sum = 0;
        for (int tap = 0; tap < args.kernelSize; ++tap) {
            sum += (static_cast<std::uint32_t>(args.tapRows[tap][value]) * args.taps[tap]) >> 16;
        }
        args.out[value] = static_cast<std::uint8_t>((sum + args.roundingBias) >> 8);
    }
}

void columnPassScalar(const ColumnPassArgs& args) {
    columnPassScalarTail(args, 0);
}

void rowPassScalar(const RowPassArgs& args) {
    rowPassScalarTail(args, 0);
}

} // namespace blurcam::cpu
