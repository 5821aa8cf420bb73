#include "heat_palette.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

namespace blurcam::widgets {

QRgb heatColour(double t) {
    static constexpr std::array<std::array<int, 3>, 6> kStops{
        {{0, 0, 4}, {66, 10, 104}, {147, 38, 103}, {221, 81, 58}, {252, 165, 10}, {252, 255, 164}}};
    t = std::clamp(t, 0.0, 1.0) * (kStops.size() - 1);
    const auto index = std::min<std::size_t>(static_cast<std::size_t>(t), kStops.size() - 2);
    const double f = t - static_cast<double>(index);
    const auto mix = [&](int channel) {
        return static_cast<int>(kStops[index][channel] + f * (kStops[index + 1][channel] - kStops[index][channel]));
    };
    return qRgb(mix(0), mix(1), mix(2));
}

} // namespace blurcam::widgets
