/* LD_PRELOADed into the tests of the ci-sanitize stage only (scripts/ci-hardening.sh asan).
 * The Vulkan loader dlclose()s the driver (lavapipe) and layer libraries when an instance is
 * destroyed. Leaks inside them are then reported at exit with "<unknown module>" frames that no
 * suppression can name, and blurcam could not be told apart from the driver. Keeping every
 * library loaded lets LeakSanitizer name the module, so lsan.supp can suppress exactly the
 * driver's and layer's own leaks and nothing else. */
int dlclose(void* handle) {
    (void)handle;
    return 0;
}
