# Threads of blurcam's own, in-process, so ThreadSanitizer (ci-tsan) sees them: the CLI's
# stop-signal thread (stop_signals.cpp is blurcam-cli code, compiled in here), the V4L2 sink's
# thread and the recorder's thread, and the helper threads that open cameras.
add_executable(blurcam_thread_tests stop_signal_tests.cpp sink_thread_tests.cpp pending_open_tests.cpp
  ${PROJECT_SOURCE_DIR}/app/cli/stop_signals.cpp)
target_include_directories(blurcam_thread_tests PRIVATE ${PROJECT_SOURCE_DIR}/app/cli)
target_link_libraries(blurcam_thread_tests PRIVATE
  blurcam::app_core GTest::gtest_main opencv_core opencv_videoio Threads::Threads blurcam_warnings)
gtest_discover_tests(blurcam_thread_tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS threads)
