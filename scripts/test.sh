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
# The process tests below run the release bootstraps, exactly what `sam build` ships (static stdlib,
# stripped; docs/design.md §6), checked first for loading on Amazon Linux 2023. A flat folder of links
# to them is what the tests and the gateway's --bin-path read (VC_FUNCTION_BIN_DIR).
echo "==> release bootstraps (scripts/build_bootstrap.sh) and their AL2023 check"
functions=.build-lambda/functions
mkdir -p "$functions"
for product in DBUpdater DBStreamProcessor EchoFunction; do
  scripts/build_bootstrap.sh "$product" ".build-lambda/bootstraps/$product"
  ln -sfn "../bootstraps/$product/bootstrap" "$functions/$product"
done
scripts/bootstrap_check.sh .build-lambda/bootstraps/DBUpdater/bootstrap .build-lambda/bootstraps/DBStreamProcessor/bootstrap
export VC_FUNCTION_BIN_DIR="$PWD/$functions"
echo "==> swift build (the local stack, with the function binaries)"
scripts/swift_build.sh local --build-tests
echo "==> swift test (the local stack: process tests of the release bootstraps)"
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
