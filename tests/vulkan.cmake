# Vulkan backend tests (included by tests/CMakeLists.txt). They run on whatever device the
# loader finds, lavapipe included, with the Khronos validation layer on.
if(NOT BLURCAM_WITH_VULKAN)
  return()
endif()

add_executable(blurcam_vulkan_tests vulkan_backend_tests.cpp)
target_link_libraries(blurcam_vulkan_tests PRIVATE blurcam::engine blurcam::shaders GTest::gtest_main blurcam_warnings)
# The allocation counter is internal to the engine (engine/src/vulkan/vulkan_context.hpp).
target_include_directories(blurcam_vulkan_tests PRIVATE ${PROJECT_SOURCE_DIR}/engine/src ${PROJECT_SOURCE_DIR}/engine/src/vulkan)
target_link_libraries(blurcam_vulkan_tests PRIVATE Vulkan::Headers)
target_compile_definitions(blurcam_vulkan_tests PRIVATE VK_NO_PROTOTYPES)
gtest_discover_tests(blurcam_vulkan_tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS vulkan)

# The loader reads VK_ICD_FILENAMES / VK_DRIVER_FILES when it first looks for drivers, so the
# "no driver" case runs in its own process with both pointing at a file that does not exist.
add_executable(blurcam_vulkan_no_driver_tests vulkan_no_driver_tests.cpp)
target_link_libraries(blurcam_vulkan_no_driver_tests PRIVATE blurcam::engine GTest::gtest_main blurcam_warnings)
set(blurcamMissingIcd "${CMAKE_CURRENT_BINARY_DIR}/no-such-dir/no_such_icd.json")
add_test(NAME VulkanNoDriver COMMAND blurcam_vulkan_no_driver_tests)
set_tests_properties(VulkanNoDriver PROPERTIES LABELS vulkan
  ENVIRONMENT "VK_ICD_FILENAMES=${blurcamMissingIcd};VK_DRIVER_FILES=${blurcamMissingIcd};BLURCAM_TEST_MISSING_ICD=${blurcamMissingIcd}")

# Benchmark (not a test): upload / dispatch / download per frame; scripts/gpu-check.sh runs it.
add_executable(blurcam_vulkan_bench benchmarks/vulkan_bench.cpp)
target_link_libraries(blurcam_vulkan_bench PRIVATE blurcam::engine blurcam_warnings)
