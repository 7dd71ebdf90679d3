// Keeps a release bootstrap loadable on Amazon Linux 2023 (glibc 2.34).
//
// FoundationEssentials' JSON code reaches hypotf through libswiftGlibc.a, and glibc 2.35 gave hypotf
// a new symbol version, so a binary linked on Debian 12 would need GLIBC_2.35. The release build
// links with `-Xlinker --wrap=hypotf`, which sends those calls here; this computes it with `hypot`
// bound to its original symbol version. Debug builds do not wrap and never call this.
#include <math.h>

#if defined(VC_GLIBC_COMPAT) && defined(__x86_64__)
__asm__(".symver vc_hypot_compat, hypot@GLIBC_2.2.5");
#elif defined(VC_GLIBC_COMPAT) && defined(__aarch64__)
__asm__(".symver vc_hypot_compat, hypot@GLIBC_2.17");
#endif

#if defined(VC_GLIBC_COMPAT) && (defined(__x86_64__) || defined(__aarch64__))
extern double vc_hypot_compat(double, double);

float __wrap_hypotf(float x, float y) { return (float)vc_hypot_compat((double)x, (double)y); }
#endif
