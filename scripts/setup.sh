#!/usr/bin/env bash
# Installs what the project needs on a bare Debian/Ubuntu with Swift, skipping what is there:
# system packages (libcurl, libcrypto headers, chromium for the page tests) and the .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*"; }

if ! command -v swift >/dev/null 2>&1; then
  echo "error: swift is not on PATH; install the Swift toolchain (https://swift.org/install) first" >&2
  exit 1
fi

packages=(libcurl4-openssl-dev libssl-dev pkg-config chromium chromium-driver)
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

stamp=.venv/.requirements.sha256
want=$(sha256sum requirements-dev.txt | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "creating .venv from requirements-dev.txt (first time takes a minute or two)"
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
  echo "$want" > "$stamp"
fi
log "setup complete"
