#!/usr/bin/env bash
# `make test`: set up, build, then every test tier: swift test (pure, seams, loopback with moto and
# the real binaries) and pytest (template, botocore-backed checks, local stack, headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mkdir -p test-artifacts

echo "==> ruff (pyproject.toml)"
.venv/bin/ruff check .
# One environment for every build (see scripts/swift_build.sh). The Lambda package first: its tests need
# nothing but the toolchain and the fixtures; then the local stack and the process tests on it.
echo "==> swift build (the Lambda package)"
scripts/swift_build.sh lambda --build-tests
echo "==> swift test (the Lambda package)"
swift test --skip-build 2>&1 | tee test-artifacts/swift-test.log
echo "==> swift build (the local stack, with the function binaries)"
scripts/swift_build.sh local --build-tests
echo "==> swift test (the local stack: process tests of the real binaries)"
swift test --package-path LocalStack --skip-build 2>&1 | tee test-artifacts/swift-test-local.log
if [ -n "$(ls tests/test_*.py 2>/dev/null)" ]; then
  echo "==> pytest"
  # The security scan runs last (below), over everything the suites printed.
  .venv/bin/python -m pytest -q tests --ignore=tests/test_security.py 2>&1 | tee test-artifacts/pytest.log
fi
echo "==> fuzz the event decoders under the address sanitizer"
scripts/fuzz_asan.sh 2>&1 | tee test-artifacts/fuzz-asan.log
echo "==> security scan of the code, the template and every captured output"
.venv/bin/python -m pytest -q tests/test_security.py
