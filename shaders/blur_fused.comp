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

shared uint sRaw[kMaxSpan * kMaxSpan];       // folded input tile, one packed pixel each
// Column-pass values V, two 16-bit channels per uint; two arrays, not interleaved, so that
// neighbouring threads hit neighbouring banks.
shared uint sColumnsRG[kTile * kMaxSpan];
shared uint sColumnsBA[kTile * kMaxSpan];

void main() {
    const int kernelSize = pc.kernelSize;
    const int radius = kernelSize / 2;
    const int span = (kTile - 1) * pc.stride + kernelSize;
    const ivec2 origin = ivec2(gl_WorkGroupID.xy) * kTile * pc.stride - radius;

    // Zero edges store 0 for samples outside: 0 * q contributes exactly nothing, as on the CPU.
    // 2-D loops rather than one flat index: no integer division per element, and each row's
    // fold is done once.
    const ivec2 inTile = ivec2(gl_LocalInvocationID.xy);
    for (int tileY = inTile.y; tileY < span; tileY += kTile) {
        const int y = foldCoordinate(origin.y + tileY, pc.height, pc.edge);
        for (int tileX = inTile.x; tileX < span; tileX += kTile) {
            const int x = foldCoordinate(origin.x + tileX, pc.width, pc.edge);
            sRaw[tileY * span + tileX] = (x < 0 || y < 0) ? 0u : source[y * pc.width + x];
        }
    }
    barrier();

    // V(x) = sum_a floor(p * 256 * q[a] / 65536), computed as (p * q) >> 8: the same number
    // (p * 256 * q <= 255 * 256 * 65535 < 2^32 never wraps) for one multiply less.
    // Thread row r computes the values of output row r for every column of the tile.
    for (int column = inTile.x; column < span; column += kTile) {
        uvec4 sums = uvec4(0u);
        for (int tap = 0; tap < kernelSize; ++tap) {
            const uvec4 pixel = unpackPixel(sRaw[(inTile.y * pc.stride + tap) * span + column]);
            sums += (pixel * taps[tap]) >> 8;
        }
        const int index = inTile.y * span + column;
        sColumnsRG[index] = sums.x | (sums.y << 16);
        sColumnsBA[index] = sums.z | (sums.w << 16);
    }
    barrier();

    // H = sum_b floor(V * q[b] / 65536), out = (H + bias) >> 8.
    const ivec2 outPixel = ivec2(gl_WorkGroupID.xy) * kTile + inTile;
    uvec4 sums = uvec4(0u);
    for (int tap = 0; tap < kernelSize; ++tap) {
        const int index = inTile.y * span + inTile.x * pc.stride + tap;
        const uint low = sColumnsRG[index];
        const uint high = sColumnsBA[index];
        const uvec4 columnValues = uvec4(low & 0xFFFFu, low >> 16, high & 0xFFFFu, high >> 16);
        sums += (columnValues * taps[tap]) >> 16;
    }
    // Threads past the frame's edge still took part in the loads and barriers above.
    if (outPixel.x < pc.outWidth && outPixel.y < pc.outHeight) {
        destination[outPixel.y * pc.outWidth + outPixel.x] = packResult(sums);
    }
}
