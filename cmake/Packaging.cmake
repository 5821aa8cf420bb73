# `cpack -G DEB` from the build tree makes an installable Debian package. The library
# dependencies are read off the binaries by dpkg-shlibdeps, so they follow whatever this
# build links (Qt, OpenCV, Vulkan loader, FFTW) without a hand-kept list.
set(CPACK_PACKAGE_NAME "blurcam")
set(CPACK_PACKAGE_VENDOR "blurcam")
set(CPACK_PACKAGE_CONTACT "blurcam maintainers <blurcam@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "blurcam")
set(CPACK_GENERATOR "DEB")
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "video")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Qt loads its platform plugin at run time, which shlibdeps cannot see; without one the window
# cannot open. Mesa's Vulkan drivers are likewise loaded by the loader, so they are a suggestion.
set(blurcam_deb_depends "")
if(BLURCAM_BUILD_GUI)
  set(blurcam_deb_depends "qt6-qpa-plugins")
endif()
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${blurcam_deb_depends}")
if(BLURCAM_WITH_VULKAN)
  set(CPACK_DEBIAN_PACKAGE_SUGGESTS "mesa-vulkan-drivers")
endif()
# The summary becomes the Description's first line; this is the body under it.
set(CPACK_PACKAGE_DESCRIPTION "blurcam blurs a webcam picture live with a Gaussian or binomial kernel, five edge modes and
stride 1 or 2, on CPU, Vulkan-compute or FFT backends that give the same picture. It includes
the Qt desktop app and blurcam-cli for headless use.")

# Only what a user runs goes in the package: no test or benchmark binaries, no static libraries.
set(CPACK_COMPONENTS_ALL Unspecified)
include(CPack)
