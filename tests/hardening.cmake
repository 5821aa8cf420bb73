# Hardening: hostile files through blurcam-cli, and the long run of the desktop app's
# pipeline. Included from tests/CMakeLists.txt.
if(TARGET blurcam-cli)
  add_executable(blurcam_hostile_files_tests hostile_files_tests.cpp)
  target_link_libraries(blurcam_hostile_files_tests PRIVATE
    GTest::gtest_main opencv_core opencv_imgproc opencv_imgcodecs opencv_videoio blurcam_warnings)
  target_compile_definitions(blurcam_hostile_files_tests PRIVATE
    BLURCAM_CLI_PATH="$<TARGET_FILE:blurcam-cli>"
    BLURCAM_TEST_WORK_DIR="${CMAKE_CURRENT_BINARY_DIR}/hostile_test_work")
  add_dependencies(blurcam_hostile_files_tests blurcam-cli)
  gtest_discover_tests(blurcam_hostile_files_tests DISCOVERY_TIMEOUT 60)
endif()

if(BLURCAM_BUILD_GUI AND TARGET blurcam_gui)
  # scripts/long-run.sh runs it for 100,000 frames per backend; ctest runs a short version.
  add_executable(blurcam_long_run long_run.cpp)
  target_link_libraries(blurcam_long_run PRIVATE blurcam::gui blurcam_warnings)
  # Short CI runs. The pipeline captures at most 120 frames/s, so 2,000 frames take ~17 s; Vulkan
  # on lavapipe gets 1,000 (it is slow: ~60 captured, ~20 processed frames/s here; the pipeline drops frames rather than queueing them anyway).
  foreach(blurcamLongRun IN ITEMS cpu:2000 fft:2000 vulkan:1000)
    string(REPLACE ":" ";" blurcamLongRunParts "${blurcamLongRun}")
    list(GET blurcamLongRunParts 0 blurcamLongRunBackend)
    list(GET blurcamLongRunParts 1 blurcamLongRunFrames)
    add_test(NAME LongRunShort.${blurcamLongRunBackend}
      COMMAND blurcam_long_run --backend ${blurcamLongRunBackend} --frames ${blurcamLongRunFrames} --max-growth 5)
    # 77: the backend cannot start on this machine, a skip; under CI=true it exits 1 instead.
    set_tests_properties(LongRunShort.${blurcamLongRunBackend} PROPERTIES
      SKIP_RETURN_CODE 77 TIMEOUT 600 LABELS "long_run;pipeline"
      ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
  endforeach()
endif()

if(BLURCAM_BUILD_GUI AND TARGET blurcam_gui)
  # The pipeline's thread hand-off without Qt in the way, for ThreadSanitizer (ci-tsan).
  add_executable(blurcam_pipeline_mailbox_tests pipeline_mailbox_tests.cpp)
  target_link_libraries(blurcam_pipeline_mailbox_tests PRIVATE blurcam::gui GTest::gtest_main blurcam_warnings)
  gtest_discover_tests(blurcam_pipeline_mailbox_tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS pipeline)
endif()

# ci-sanitize only (its preset sets BLURCAM_SANITIZER_PRELOAD, and its test preset LD_PRELOADs the
# result): see tests/sanitizers/keep_libraries_loaded.c. Plain C, not instrumented itself.
if(BLURCAM_SANITIZER_PRELOAD)
  enable_language(C)
  add_library(blurcam_keep_libraries_loaded SHARED sanitizers/keep_libraries_loaded.c)
  set_target_properties(blurcam_keep_libraries_loaded PROPERTIES
    PREFIX "" OUTPUT_NAME keep_libraries_loaded LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
endif()
