#!/usr/bin/env bash
# Builds one Lambda function as a custom-runtime `bootstrap` (docs/design.md §6) and copies it to a directory.
#
#   scripts/build_bootstrap.sh <Product> <ArtifactsDir>
#
# `sam build` calls it through the Makefile's build-<LogicalId> targets with ARTIFACTS_DIR.
# - release, `--static-swift-stdlib`: the Swift runtime is linked in, so AL2023 needs no Swift install;
#   libstdc++ and libgcc stay dynamic (static ones pull in arc4random@GLIBC_2.36, _dl_find_object@GLIBC_2.35).
# - `-Xlinker --wrap=hypotf`: FoundationEssentials' JSON reached hypotf@GLIBC_2.35 (Debian 12 has 2.36,
#   AL2023 2.34); CCurl's glibc_compat.c (compiled in release only) provides __wrap_hypotf over hypot@GLIBC_2.2.5.
#   The bootstraps no longer link Foundation (JSONCoding instead; bootstrap_check.sh refuses it), but the wrap
#   stays, so that any other path to hypotf cannot make a bootstrap unloadable on AL2023.
# - `-Xlinker -s`: strip at link time (smaller zip, faster cold start).
# - the root package is the Lambda side alone (no dependencies), so nothing is resolved or fetched.
# - its own scratch path, so these flags never force a relink of the dev builds in .build (and vice versa);
#   it stays between runs, so `sam build --build-in-source` only rebuilds what changed.
# The result is checked with scripts/bootstrap_check.sh (glibc/libstdc++ versions, libraries, size).
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 <Product> <ArtifactsDir>" >&2
  exit 2
fi
product=$1
artifacts_dir=$2
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=${VC_LAMBDA_SCRATCH:-$root/.build-lambda}

case "$product" in
  DBUpdater|DBStreamProcessor|EchoFunction) ;;
  *) echo "error: unknown product '$product' (expected DBUpdater or DBStreamProcessor)" >&2; exit 2 ;;
esac

# One build at a time per scratch path (`sam build --parallel` would otherwise run two SwiftPM builds at once).
mkdir -p "$scratch"
exec 9>"$scratch/.bootstrap-build.lock"
flock 9

flags=(-c release --product "$product" --static-swift-stdlib
       -Xlinker --wrap=hypotf -Xlinker -s
       --package-path "$root" --scratch-path "$scratch")

echo "==> swift build ${flags[*]}" >&2
swift build "${flags[@]}" >&2
bin_dir=$(swift build "${flags[@]}" --show-bin-path)

mkdir -p "$artifacts_dir"
install -m 0755 "$bin_dir/$product" "$artifacts_dir/bootstrap"
echo "==> $artifacts_dir/bootstrap ($(stat -c %s "$artifacts_dir/bootstrap") bytes)" >&2
