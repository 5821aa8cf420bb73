#pragma once
// The one colour ramp for values drawn as a picture (the kernel heat map, the spectrum view), so
// the two read alike: close to matplotlib's "inferno", a perceptual ramp, so equal steps in value
// look like equal steps in brightness. Dark is weak, bright strong.

#include <QRgb>

namespace blurcam::widgets {

/// t from 0 (weakest) to 1 (strongest); values outside are clamped.
[[nodiscard]] QRgb heatColour(double t);

} // namespace blurcam::widgets
