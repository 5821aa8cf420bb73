# blurcam-cli as a subprocess (exit codes, stderr, no leftovers) and the app core under it.
add_executable(blurcam_cli_tests cli_tests.cpp cli_output_safety_tests.cpp cli_stop_signal_tests.cpp cli_nothing_lost_tests.cpp
  cli_exit_status_tests.cpp app_core_tests.cpp source_spec_tests.cpp)
target_link_libraries(blurcam_cli_tests PRIVATE
  blurcam::app_core blurcam::engine GTest::gtest_main
  opencv_core opencv_imgproc opencv_imgcodecs opencv_videoio blurcam_warnings)
target_compile_definitions(blurcam_cli_tests PRIVATE
  BLURCAM_CLI_PATH="$<TARGET_FILE:blurcam-cli>"
  BLURCAM_TEST_WORK_DIR="${CMAKE_CURRENT_BINARY_DIR}/cli_test_work")
# frame_times.hpp is header-only CLI code tested here directly.
target_include_directories(blurcam_cli_tests PRIVATE ${PROJECT_SOURCE_DIR}/app/cli)
add_dependencies(blurcam_cli_tests blurcam-cli)
gtest_discover_tests(blurcam_cli_tests DISCOVERY_TIMEOUT 60)

# Issue 26: behaviours a mutation audit found unpinned (scripts/mutation-check.sh). The shim is
# preloaded into blurcam-cli to make fsync/close fail with EIO on request.
add_library(blurcam_fail_sync_shim MODULE fail_sync_shim.cpp)
target_link_libraries(blurcam_fail_sync_shim PRIVATE ${CMAKE_DL_LIBS})
target_sources(blurcam_cli_tests PRIVATE mutation_gap_tests.cpp)
target_compile_definitions(blurcam_cli_tests PRIVATE BLURCAM_FAIL_SYNC_SHIM_PATH="$<TARGET_FILE:blurcam_fail_sync_shim>")
add_dependencies(blurcam_cli_tests blurcam_fail_sync_shim)

# The OpenCV boundary: damaged files through blurcam-cli, and through the helper that reads files
# the way the desktop app does (its stderr must stay empty).
add_executable(blurcam_library_noise_probe library_noise_probe.cpp)
target_link_libraries(blurcam_library_noise_probe PRIVATE blurcam::app_core blurcam_warnings)
add_executable(blurcam_opencv_boundary_tests opencv_boundary_tests.cpp)
target_link_libraries(blurcam_opencv_boundary_tests PRIVATE
  blurcam::app_core GTest::gtest_main opencv_core opencv_imgproc opencv_imgcodecs opencv_videoio blurcam_warnings)
target_compile_definitions(blurcam_opencv_boundary_tests PRIVATE
  BLURCAM_CLI_PATH="$<TARGET_FILE:blurcam-cli>"
  BLURCAM_NOISE_PROBE_PATH="$<TARGET_FILE:blurcam_library_noise_probe>"
  BLURCAM_TEST_DATA_DIR="${CMAKE_CURRENT_SOURCE_DIR}/data"
  BLURCAM_READER_CORPUS_DIR="${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus-reader"
  BLURCAM_TEST_WORK_DIR="${CMAKE_CURRENT_BINARY_DIR}/opencv_boundary_test_work")
add_dependencies(blurcam_opencv_boundary_tests blurcam-cli blurcam_library_noise_probe)
gtest_discover_tests(blurcam_opencv_boundary_tests DISCOVERY_TIMEOUT 60)

# Real-world inputs made at test time by FFmpeg's own tools (ffmpeg, ffprobe): every frame
# geometry, pixel format, codec and container, EXIF, alpha, pipes. Run under ASan by its stage.
add_executable(blurcam_real_world_inputs_tests real_world_inputs_tests.cpp)
target_link_libraries(blurcam_real_world_inputs_tests PRIVATE
  blurcam::app_core blurcam::engine GTest::gtest_main
  opencv_core opencv_imgproc opencv_imgcodecs opencv_videoio blurcam_warnings)
target_compile_definitions(blurcam_real_world_inputs_tests PRIVATE
  BLURCAM_CLI_PATH="$<TARGET_FILE:blurcam-cli>"
  BLURCAM_TEST_WORK_DIR="${CMAKE_CURRENT_BINARY_DIR}/real_world_test_work")
add_dependencies(blurcam_real_world_inputs_tests blurcam-cli)
gtest_discover_tests(blurcam_real_world_inputs_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 900)
