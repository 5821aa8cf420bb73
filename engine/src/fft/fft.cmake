# FFTW3 backend and the spectrum data (included from engine/CMakeLists.txt when BLURCAM_WITH_FFTW).
target_sources(blurcam_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/fftw_planner.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fft_backend.cpp
  ${CMAKE_CURRENT_LIST_DIR}/spectrum_fftw.cpp
)
target_link_libraries(blurcam_engine PRIVATE PkgConfig::FFTW3F)
target_compile_definitions(blurcam_engine PRIVATE BLURCAM_HAVE_FFTW)
