# The virtual camera with real parts: a private PipeWire daemon and WirePlumber, a GStreamer test
# camera, blurcam-cli as a subprocess and a consumer in the test. Skips, saying why, where the
# daemons or GStreamer elements are missing; fails instead under CI=true (test_requirements.hpp).
add_executable(blurcam_virtual_camera_tests virtual_camera_tests.cpp)
target_link_libraries(blurcam_virtual_camera_tests PRIVATE
  blurcam::app_core blurcam::engine GTest::gtest_main
  opencv_core opencv_imgproc opencv_videoio blurcam_warnings)
target_compile_definitions(blurcam_virtual_camera_tests PRIVATE BLURCAM_CLI_PATH="$<TARGET_FILE:blurcam-cli>")
add_dependencies(blurcam_virtual_camera_tests blurcam-cli)
# Each test starts its own daemons; RUN_SERIAL keeps two suites from loading the machine at once.
gtest_discover_tests(blurcam_virtual_camera_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 180 RUN_SERIAL TRUE)

# The GUI's Output section (Virtual camera toggle, Record) on Qt's offscreen platform.
if(BLURCAM_BUILD_GUI AND TARGET blurcam_gui)
  find_package(Qt6 REQUIRED COMPONENTS Test)
  add_executable(blurcam_gui_output_tests gui_test_main.cpp gui_output_tests.cpp)
  target_link_libraries(blurcam_gui_output_tests PRIVATE
    blurcam::gui Qt6::Test GTest::gtest opencv_core opencv_videoio blurcam_warnings)
  gtest_discover_tests(blurcam_gui_output_tests DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen" TIMEOUT 180 RUN_SERIAL TRUE)
endif()
