#pragma once
// libpipewire and SPA for the files that talk to PipeWire. Their C macros (pw_loop_add_timer,
// spa_pod_builder_add_object, SPA_RECTANGLE, ...) expand, in our code, into GNU statement
// expressions and compound literals, which clang's -Wpedantic (and so clang-tidy) reports at the
// expansion site. They are the library's documented API and compile as intended; the warnings
// are silenced for the files that include this header, and only there.

#if defined(__clang__)
#pragma clang diagnostic ignored "-Wgnu-statement-expression"
#pragma clang diagnostic ignored "-Wgnu-statement-expression-from-macro-expansion"
#pragma clang diagnostic ignored "-Wc99-extensions"
#pragma clang diagnostic ignored "-Wgnu-zero-variadic-macro-arguments"
#pragma clang diagnostic ignored "-Wunknown-warning-option"
#endif

#include <pipewire/pipewire.h>
#include <spa/param/video/format-utils.h>
#include <spa/pod/builder.h>
