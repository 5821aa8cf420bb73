#version 450
#extension GL_GOOGLE_include_directive : require
// First of two dispatches for K > 15 (the fused tile would not fit in shared memory): the
// column pass for every output row i and every input column x, V(i, x), into a uvec2 per
// pixel (four 16-bit channels), exactly as blurcam/kernel.hpp's column pass.

layout(local_size_x = 16, local_size_y = 16) in;

#include "blur_common.glsl"

layout(std430, set = 0, binding = 0) readonly buffer Source {
    uint source[];
};
layout(std430, set = 0, binding = 3) writeonly buffer Columns {
    uvec2 columns[]; // outHeight rows of width values
};

void main() {
    const int x = int(gl_GlobalInvocationID.x);
    const int row = int(gl_GlobalInvocationID.y);
    if (x >= pc.width || row >= pc.outHeight) {
        return;
    }
    const int radius = pc.kernelSize / 2;
    uvec4 sums = uvec4(0u);
    for (int tap = 0; tap < pc.kernelSize; ++tap) {
        const int y = foldCoordinate(pc.stride * row + tap - radius, pc.height, pc.edge);
        if (y >= 0) {
            // floor(p * 256 * q / 65536) as (p * q) >> 8: equal, since p * 256 * q never wraps.
            sums += (unpackPixel(source[y * pc.width + x]) * taps[tap]) >> 8;
        }
    }
    columns[row * pc.width + x] = uvec2(sums.x | (sums.y << 16), sums.z | (sums.w << 16));
}
