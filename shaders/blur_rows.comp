#version 450
#extension GL_GOOGLE_include_directive : require
// Second of two dispatches for K > 15: the row pass over the column-pass values, with the
// columns folded by the edge rule (Zero: outside columns contribute 0, like the CPU's zeroed
// border), then rounding to bytes.

layout(local_size_x = 16, local_size_y = 16) in;

#include "blur_common.glsl"

layout(std430, set = 0, binding = 1) writeonly buffer Destination {
    uint destination[];
};
layout(std430, set = 0, binding = 3) readonly buffer Columns {
    uvec2 columns[];
};

void main() {
    const ivec2 outPixel = ivec2(gl_GlobalInvocationID.xy);
    if (outPixel.x >= pc.outWidth || outPixel.y >= pc.outHeight) {
        return;
    }
    const int radius = pc.kernelSize / 2;
    uvec4 sums = uvec4(0u);
    for (int tap = 0; tap < pc.kernelSize; ++tap) {
        const int x = foldCoordinate(pc.stride * outPixel.x + tap - radius, pc.width, pc.edge);
        if (x >= 0) {
            const uvec2 packed = columns[outPixel.y * pc.width + x];
            const uvec4 columnValues = uvec4(packed.x & 0xFFFFu, packed.x >> 16, packed.y & 0xFFFFu, packed.y >> 16);
            sums += (columnValues * taps[tap]) >> 16;
        }
    }
    destination[outPixel.y * pc.outWidth + outPixel.x] = packResult(sums);
}
