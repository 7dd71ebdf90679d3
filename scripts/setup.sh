#!/usr/bin/env bash
# Installs what the project needs on a bare Debian/Ubuntu with Swift, skipping what is there:
# system packages (libcurl, libcrypto headers, chromium for the page tests) and the .venv, with the
# project's own Python package (vctools, pyproject.toml) installed editable into it.
#
#   scripts/setup.sh           everything (make test, make deploy): requirements-dev.txt, chromium
#   scripts/setup.sh --local   only what `make dev` needs: requirements-local.txt, no chromium, no SAM CLI
set -euo pipefail
cd "$(dirname "$0")/.."

scope=dev
[ "${1:-}" = "--local" ] && scope=local

log() { printf '==> %s\n' "$*"; }

if ! command -v swift >/dev/null 2>&1; then
  echo "error: swift is not on PATH; install the Swift toolchain (https://swift.org/install) first" >&2
  exit 1
fi

packages=(libcurl4-openssl-dev libssl-dev pkg-config)
[ "$scope" = dev ] && packages+=(chromium chromium-driver)
# Debian's python3 keeps venv in a separate package; a Python that has it (pyenv, python.org) needs none.
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || packages+=(python3-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# One stamp per scope, each the hash of the files it installed: a changed pin reinstalls, and a venv made
# for `make test` also serves `make dev`. pyproject.toml is in both: the package's metadata lives there.
hash_of() { cat "$@" | sha256sum | cut -d' ' -f1; }
local_hash=$(hash_of requirements-local.txt pyproject.toml)
dev_hash=$(hash_of requirements-local.txt requirements-dev.txt pyproject.toml)
if [ "$scope" = local ]; then want=$local_hash; requirements=requirements-local.txt
else want=$dev_hash; requirements=requirements-dev.txt; fi
if [ ! -x .venv/bin/python ] || [ "$(cat ".venv/.$scope.sha256" 2>/dev/null)" != "$want" ]; then
  log "installing $requirements into .venv (the first time takes a minute or two)"
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r "$requirements"
  # vctools, editable: the scripts, the tests and the Swift tests' fixture servers import it from the working
  # tree wherever they run, with no sys.path edits. --no-deps: the requirements files hold every pin.
  .venv/bin/pip install -q --disable-pip-version-check --no-deps -e .
  echo "$want" > ".venv/.$scope.sha256"
  if [ "$scope" = dev ]; then echo "$local_hash" > .venv/.local.sha256; fi
  log "setup complete"
fi
