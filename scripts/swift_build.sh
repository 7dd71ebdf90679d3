#!/usr/bin/env bash
# `swift build` of one of the two packages with the same small environment every time:
#
#   scripts/swift_build.sh lambda [swift build options]   the Lambda side (the root package)
#   scripts/swift_build.sh local  [swift build options]   the local stack (LocalStack/, which builds the
#                                                         function binaries next to the gateway)
#
# SwiftPM plans the build again whenever any environment variable differs from the previous build's (the
# manifest may read the environment): 15-40 s here, and at times a recompile of Hummingbird, for nothing.
# `make dev` on another PORT, or `make test` after `make dev`, did exactly that. So every build of the
# project goes through here, with only what the toolchain needs: PATH and HOME, a temporary folder,
# proxies for the first fetch.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  lambda) package=. ;;
  local) package=LocalStack ;;
  *) echo "usage: scripts/swift_build.sh lambda|local [swift build options]" >&2; exit 2 ;;
esac
shift
# SwiftPM re-plans a build when the package's own manifest changes, but it missed a change of the Lambda
# package's manifest when building the local stack (a target added there then failed as "no such module"
# until the cached plan was dropped). So a changed root manifest drops the local stack's cached plans.
if [ "$package" = LocalStack ] && [ -d LocalStack/.build ] && ! cmp -s Package.swift LocalStack/.build/lambda-manifest.swift; then
  rm -f LocalStack/.build/*.yaml LocalStack/.build/*/description.json
  cp Package.swift LocalStack/.build/lambda-manifest.swift
fi
keep=()
for name in PATH HOME TMPDIR http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY SSL_CERT_FILE SSL_CERT_DIR; do
  [ -n "${!name:-}" ] && keep+=("$name=${!name}")
done
exec env -i "${keep[@]}" swift build --package-path "$package" "$@"
