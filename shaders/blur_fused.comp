#version 450
#extension GL_GOOGLE_include_directive : require
// One dispatch for K <= kMaxFusedKernel: each 16x16 workgroup owns a 16x16 block of output
// pixels. It loads the input tile plus halo into shared memory once (edges folded here, since
// samplers have no REFLECT_101), runs the column pass into shared memory and the row pass from
// it. The arithmetic is blurcam/kernel.hpp's, step for step, so the bytes equal the CPU's.
//
// The column (vertical) pass comes first because that is the CPU's order: the truncation of the
// first pass decides the last bit, so the order is part of the contract.

layout(local_size_x = 16, local_size_y = 16) in;

#include "blur_common.glsl"

layout(std430, set = 0, binding = 0) readonly buffer Source {
    uint source[]; // RGBA8 packed little-endian, rows tight (width pixels)
};
layout(std430, set = 0, binding = 1) writeonly buffer Destination {
    uint destination[]; // outWidth x outHeight, packed like source
};

const int kTile = 16;
const int kMaxFusedKernel = 15;
const int kMaxSpan = (kTile - 1) * 2 + kMaxFusedKernel; // input pixels one tile needs at stride 2
const int kThreads = kTile * kTile;

shared uint sRaw[kMaxSpan * kMaxSpan];       // folded input tile, one packed pixel each
shared uint sColumns[kTile * kMaxSpan * 2];  // column-pass values V, two 16-bit channels per uint

void main() {
    const int kernelSize = pc.kernelSize;
    const int radius = kernelSize / 2;
    const int span = (kTile - 1) * pc.stride + kernelSize;
    const ivec2 origin = ivec2(gl_WorkGroupID.xy) * kTile * pc.stride - radius;
    const int local = int(gl_LocalInvocationIndex);

    // Zero edges store 0 for samples outside: 0 * q contributes exactly nothing, as on the CPU.
    for (int index = local; index < span * span; index += kThreads) {
        const int y = foldCoordinate(origin.y + index / span, pc.height, pc.edge);
        const int x = foldCoordinate(origin.x + index % span, pc.width, pc.edge);
        sRaw[index] = (x < 0 || y < 0) ? 0u : source[y * pc.width + x];
    }
    barrier();

    // V(x) = sum_a floor(p * 256 * q[a] / 65536); p * 256 * q <= 255 * 256 * 65535 < 2^32.
    for (int index = local; index < kTile * span; index += kThreads) {
        const int row = index / span;
        const int column = index % span;
        uvec4 sums = uvec4(0u);
        for (int tap = 0; tap < kernelSize; ++tap) {
            const uvec4 pixel = unpackPixel(sRaw[(row * pc.stride + tap) * span + column]);
            sums += (pixel * 256u * taps[tap]) >> 16;
        }
        sColumns[index * 2] = sums.x | (sums.y << 16);
        sColumns[index * 2 + 1] = sums.z | (sums.w << 16);
    }
    barrier();

    // H = sum_b floor(V * q[b] / 65536), out = (H + bias) >> 8.
    const ivec2 inTile = ivec2(gl_LocalInvocationID.xy);
    const ivec2 outPixel = ivec2(gl_WorkGroupID.xy) * kTile + inTile;
    uvec4 sums = uvec4(0u);
    for (int tap = 0; tap < kernelSize; ++tap) {
        const int index = inTile.y * span + inTile.x * pc.stride + tap;
        const uint low = sColumns[index * 2];
        const uint high = sColumns[index * 2 + 1];
        const uvec4 columnValues = uvec4(low & 0xFFFFu, low >> 16, high & 0xFFFFu, high >> 16);
        sums += (columnValues * taps[tap]) >> 16;
    }
    // Threads past the frame's edge still took part in the loads and barriers above.
    if (outPixel.x < pc.outWidth && outPixel.y < pc.outHeight) {
        destination[outPixel.y * pc.outWidth + outPixel.x] = packResult(sums);
    }
}
