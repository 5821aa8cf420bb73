// Shared by every blur shader: the push constants and the edge folding of
// blurcam::foldCoordinate (engine/src/params.cpp), written so that no operand of % or / is ever
// negative (GLSL leaves those results undefined).
#ifndef BLURCAM_BLUR_COMMON_GLSL
#define BLURCAM_BLUR_COMMON_GLSL

// Same numbering as blurcam::EdgeMode.
const int kEdgeZero = 0;
const int kEdgeClamp = 1;
const int kEdgeMirror = 2;
const int kEdgeReflect = 3;
const int kEdgeWrap = 4;

layout(push_constant) uniform Params {
    int width;        // input pixels
    int height;
    int outWidth;     // ceil(width / stride)
    int outHeight;
    int stride;       // 1 or 2
    int edge;         // kEdge*
    int kernelSize;   // K, odd
    uint roundingBias;
} pc;

// Fixed-point taps (blurcam::quantizeKernel), one per uint; K <= 63.
layout(std430, set = 0, binding = 2) readonly buffer Taps {
    uint taps[];
};

int positiveModulo(int value, int modulus) {
    return value >= 0 ? value % modulus : (modulus - 1) - ((-value - 1) % modulus);
}

// Maps any coordinate into [0, length) by the edge rule, folding as often as needed; -1 means
// "outside, contributes zero" (Zero edges).
int foldCoordinate(int coordinate, int length, int edge) {
    if (coordinate >= 0 && coordinate < length) {
        return coordinate;
    }
    if (edge == kEdgeZero) {
        return -1;
    }
    if (edge == kEdgeClamp) {
        return coordinate < 0 ? 0 : length - 1;
    }
    if (edge == kEdgeMirror) {
        if (length == 1) {
            return 0;
        }
        const int period = 2 * (length - 1); // dcb|abcd|cba
        const int folded = positiveModulo(coordinate, period);
        return folded < length ? folded : period - folded;
    }
    if (edge == kEdgeReflect) {
        const int period = 2 * length; // cba|abcd|dcb
        const int folded = positiveModulo(coordinate, period);
        return folded < length ? folded : period - 1 - folded;
    }
    return positiveModulo(coordinate, length); // wrap
}

uvec4 unpackPixel(uint pixel) {
    return uvec4(pixel & 0xFFu, (pixel >> 8) & 0xFFu, (pixel >> 16) & 0xFFu, pixel >> 24);
}

// (H + bias) >> 8 is at most 255 (H <= 65280, bias <= 191), so no clamp is needed.
uint packResult(uvec4 sums) {
    const uvec4 bytes = (sums + pc.roundingBias) >> 8;
    return bytes.x | (bytes.y << 8) | (bytes.z << 16) | (bytes.w << 24);
}

#endif
