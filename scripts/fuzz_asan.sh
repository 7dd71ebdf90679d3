#!/usr/bin/env bash
# The event decoders (LambdaEvents over JSONCoding, the bootstraps' own JSON reader and Codable decoder)
# under the address sanitizer, over the seeded fuzz corpus of vctools/fixtures/fuzz_events.py
# (DecoderFuzzTests: the typed decoders, the raw JSONReader, and both checked against Foundation's). The
# Lambda package (no dependencies) in its own scratch path, .build-asan, so it neither disturbs nor waits
# for the main build. FUZZ_SEED and FUZZ_EVENTS as for the other fuzz tests. Called by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
flags=(--scratch-path .build-asan -Xswiftc -sanitize=address)
echo "==> build the Lambda package and its tests with -sanitize=address"
swift build --build-tests "${flags[@]}"
echo "==> decode the fuzz corpus under ASan"
# Leak checking is off: the Swift runtime's metadata caches live until exit and read as leaks.
ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=1" swift test --skip-build "${flags[@]}" --filter DecoderFuzzTests
