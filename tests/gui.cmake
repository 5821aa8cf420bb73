# Desktop app tests: the real window and pipeline on Qt's offscreen platform, with fake
# sources and backends injected where a camera or a slow/failing GPU would be needed.
if(BLURCAM_BUILD_GUI AND TARGET blurcam_gui)
  find_package(Qt6 REQUIRED COMPONENTS Test)
  add_executable(blurcam_gui_tests gui_test_main.cpp gui_pipeline_tests.cpp gui_settings_tests.cpp
    gui_fft_plan_tests.cpp gui_display_check_tests.cpp gui_keys_tests.cpp gui_status_tests.cpp gui_frame_path_tests.cpp
    gui_controls_tests.cpp gui_window_tests.cpp gui_source_tests.cpp gui_spectrum_tests.cpp gui_arguments_tests.cpp)
  target_link_libraries(blurcam_gui_tests PRIVATE blurcam::gui Qt6::Test GTest::gtest opencv_core blurcam_warnings)
  target_sources(blurcam_gui_tests PRIVATE fft_plan_scheduler_tests.cpp)
  # Issue 26: the status line right after a switch, the mailbox one frame at a time.
  target_sources(blurcam_gui_tests PRIVATE gui_mutation_gap_tests.cpp)
  set_target_properties(blurcam_gui_tests PROPERTIES AUTOMOC ON)
  # A person looks at the window here after a test run.
  target_compile_definitions(blurcam_gui_tests PRIVATE BLURCAM_SCREENSHOT_DIR="${CMAKE_CURRENT_BINARY_DIR}/screenshots"
    BLURCAM_APP_PATH="$<TARGET_FILE:blurcam>")
  add_dependencies(blurcam_gui_tests blurcam)
  # main() points the Vulkan loader at a missing driver, so the "cannot start" path is what
  # these tests see whether or not this build has Vulkan.
  gtest_discover_tests(blurcam_gui_tests
    DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen"
               TIMEOUT 120)
endif()
