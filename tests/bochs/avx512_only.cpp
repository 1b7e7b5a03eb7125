// Linked into the static test binary that runs in the bochs guest only: the
// emulator is ~300x slower than hardware, so the kernel tests there run on
// AVX-512 alone (the other ISAs run natively). A constructor with a priority
// runs before the test registrations read CONVKIT_TEST_ISA.
#include <cstdlib>

__attribute__((constructor(101))) static void test_avx512_only() {
    setenv("CONVKIT_TEST_ISA", "avx512", /*overwrite=*/0);
}
