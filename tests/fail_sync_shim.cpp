// A tiny LD_PRELOAD library for tests: with BLURCAM_TEST_FAIL_FSYNC set, fsync() and fdatasync()
// fail with EIO; with BLURCAM_TEST_FAIL_CLOSE set, close() of one of blurcam's temporaries
// closes it and then reports EIO (what NFS does with a delayed write error). Without either
// variable every call goes straight to the C library.
#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

template <typename Function>
Function next(const char* name) {
    return reinterpret_cast<Function>(::dlsym(RTLD_NEXT, name));
}

bool namesTemporary(int fd) {
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char target[4096];
    const ssize_t length = ::readlink(link, target, sizeof target - 1);
    if (length <= 0) {
        return false;
    }
    target[length] = '\0';
    return std::strstr(target, ".blurcam-tmp-") != nullptr;
}

} // namespace

extern "C" int fsync(int fd) {
    if (std::getenv("BLURCAM_TEST_FAIL_FSYNC") != nullptr) {
        errno = EIO;
        return -1;
    }
    return next<int (*)(int)>("fsync")(fd);
}

extern "C" int fdatasync(int fd) {
    if (std::getenv("BLURCAM_TEST_FAIL_FSYNC") != nullptr) {
        errno = EIO;
        return -1;
    }
    return next<int (*)(int)>("fdatasync")(fd);
}

extern "C" int close(int fd) {
    static const auto realClose = next<int (*)(int)>("close");
    const bool fail = std::getenv("BLURCAM_TEST_FAIL_CLOSE") != nullptr && namesTemporary(fd);
    const int result = realClose(fd);
    if (fail && result == 0) {
        errno = EIO;
        return -1;
    }
    return result;
}
