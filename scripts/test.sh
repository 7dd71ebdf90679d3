#!/usr/bin/env bash
# `make test`: set up, build, then every test tier: swift test (pure, seams, loopback with moto and
# the real binaries) and pytest (template, botocore-backed checks, local stack, headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mkdir -p test-artifacts

echo "==> swift build"
swift build --build-tests
echo "==> swift test"
swift test --skip-build 2>&1 | tee test-artifacts/swift-test.log
if [ -n "$(ls tests/test_*.py 2>/dev/null)" ]; then
  echo "==> pytest"
  .venv/bin/python -m pytest -q tests
fi
