// "No heap allocation per frame once a size has been seen": every global operator new in this
// executable is counted, and a backend that has seen a size must process more frames of it
// without calling it once.
#include "test_images.hpp"

#include "blurcam/blurcam.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<long> g_allocations{0};
} // namespace

void* operator new(std::size_t size) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* memory = std::malloc(size == 0 ? 1 : size)) {
        return memory;
    }
    throw std::bad_alloc();
}
// The nothrow form too: std::stable_sort's temporary buffer uses it, and its memory comes back
// through the operator delete below, so both must come from malloc (AddressSanitizer checks).
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(size == 0 ? 1 : size);
}
void operator delete(void* memory) noexcept {
    std::free(memory);
}
void operator delete(void* memory, std::size_t) noexcept {
    std::free(memory);
}

namespace blurcam {
namespace {

long allocationsDuring(Backend& backend, const test::OwnedImage& input, test::OwnedImage& output,
                       const BlurParams& params, int frames) {
    const long before = g_allocations.load();
    for (int frame = 0; frame < frames; ++frame) {
        backend.process(input.view(), output.mutableView(), params);
    }
    return g_allocations.load() - before;
}

TEST(CpuAllocations, NonePerFrameOnceASizeHasBeenSeen) {
    for (int threads : {1, 2}) {
        BackendOptions options;
        options.threads = threads;
        auto backend = createBackend(BackendKind::Cpu, options).backend;
        ASSERT_TRUE(backend);
        for (int stride : {1, 2}) {
            for (int kernelSize : {5, 31}) {
                for (EdgeMode edge : {EdgeMode::Zero, EdgeMode::Mirror}) {
                    BlurParams params;
                    params.stride = stride;
                    params.kernelSize = kernelSize;
                    params.sigma = kernelSize / 6.0;
                    params.edge = edge;
                    // Large enough that two threads really split it.
                    const test::OwnedImage input = test::makeTestImage(1280, 720, 4);
                    test::OwnedImage output = test::makeOutputFor(input, stride);
                    backend->process(input.view(), output.mutableView(), params); // sees the size
                    EXPECT_EQ(allocationsDuring(*backend, input, output, params, 20), 0)
                        << threads << " threads, stride " << stride << ", K " << kernelSize << ", " << toString(edge);
                }
            }
        }
    }
}

TEST(CpuAllocations, TheCounterSeesAllocations) {
    // Guards the test above against a counter that never counts.
    const long before = g_allocations.load();
    int* volatile probe = new int(7); // volatile: the compiler may not elide this allocation
    delete probe;
    EXPECT_GT(g_allocations.load(), before);
}

} // namespace
} // namespace blurcam
