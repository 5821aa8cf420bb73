# FFTW3 backend and spectrum data (issue 4). Included from tests/CMakeLists.txt.
if(NOT BLURCAM_WITH_FFTW)
  return()
endif()

add_executable(blurcam_fft_tests fft_backend_tests.cpp spectrum_tests.cpp)
# The private engine headers give the tests the planner's statistics and a cold restart.
target_include_directories(blurcam_fft_tests PRIVATE ${PROJECT_SOURCE_DIR}/engine/src)
target_link_libraries(blurcam_fft_tests PRIVATE blurcam::engine PkgConfig::FFTW3F GTest::gtest_main opencv_core opencv_imgproc
  blurcam_warnings)
gtest_discover_tests(blurcam_fft_tests DISCOVERY_TIMEOUT 60)
