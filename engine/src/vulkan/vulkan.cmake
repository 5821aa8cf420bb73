# The Vulkan compute backend, included by engine/CMakeLists.txt when BLURCAM_WITH_VULKAN is on.
#
# The loader is opened at run time by Vulkan-Hpp's RAII context (dlopen of libvulkan.so.1), not
# linked: a machine without libvulkan1 still runs blurcam, and the factory says why Vulkan is
# missing instead of the program failing to start. VK_NO_PROTOTYPES makes any direct call to a
# Vulkan C function a compile error, so nothing can bypass that.
target_sources(blurcam_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/vulkan_backend.cpp
  ${CMAKE_CURRENT_LIST_DIR}/vulkan_context.cpp)
target_link_libraries(blurcam_engine PRIVATE Vulkan::Headers blurcam::shaders ${CMAKE_DL_LIBS})
target_compile_definitions(blurcam_engine PRIVATE BLURCAM_HAVE_VULKAN VK_NO_PROTOTYPES)
