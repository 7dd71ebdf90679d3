#!/usr/bin/env bash
# The event decoders (LambdaEvents over JSONCoding, the bootstraps' own JSON reader and Codable decoder)
# under the address sanitizer, over the seeded fuzz corpus of scripts/fuzz_events.py (DecoderFuzzTests: the
# typed decoders, the raw JSONReader, and both checked against Foundation's). Its own scratch path,
# .build-asan, and a package cut down to the decoders and their tests (VC_FUZZ_DECODERS_ONLY=1), so it
# neither disturbs nor waits for the main build. FUZZ_SEED and FUZZ_EVENTS as for the other fuzz tests. Called by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export VC_FUZZ_DECODERS_ONLY=1
# The cut-down package has no dependencies, and resolving it rewrites Package.resolved: keep the main
# build's pins as they are.
if [ -f Package.resolved ]; then
  mkdir -p .build-asan
  cp Package.resolved .build-asan/Package.resolved.main
  trap 'mv -f .build-asan/Package.resolved.main Package.resolved' EXIT
fi
flags=(--scratch-path .build-asan -Xswiftc -sanitize=address)
echo "==> build the decoders and their fuzz tests with -sanitize=address"
swift build --build-tests "${flags[@]}"
echo "==> decode the fuzz corpus under ASan"
# Leak checking is off: the Swift runtime's metadata caches live until exit and read as leaks.
ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=1" swift test --skip-build "${flags[@]}"
