#!/usr/bin/env bash
# Checks that Lambda bootstraps built here (Debian/Ubuntu) will load on Amazon Linux 2023 (docs/design.md §6):
#
#   scripts/bootstrap_check.sh <binary>...
#
# - the highest symbol version needed from each system library is one AL2023 has:
#   glibc 2.34 (GLIBC_2.34), GCC 11's libstdc++ (GLIBCXX_3.4.29, CXXABI_1.3.13);
#   the usual culprit is hypotf@GLIBC_2.35, pulled in by FoundationEssentials' JSON (see CCurl/glibc_compat.c);
# - no versioned libcurl symbol anywhere (Debian tags them CURL_OPENSSL_4; AL2023's libcurl has no such
#   version, so the loader would refuse the binary); the project loads libcurl with dlopen at run time;
# - every NEEDED library is on the allow-list below, and nothing of ICU / FoundationInternationalization;
#   libcurl and libcrypto in particular are refused: both are opened with dlopen after the first `/next`
#   is on the wire (issue 13), so linking either again would put its loading back on every cold start;
# - no Foundation at all, linked statically or not (issue 13: FoundationEssentials was about 8 of a
#   bootstrap's 14 MB): the bootstraps use JSONCoding and the C library instead. A static Swift binary keeps
#   each module's name as a NUL-terminated string in its Swift metadata (the module context descriptors in
#   .rodata, which stripping keeps since the runtime reads them), so `strings` finds `FoundationEssentials`
#   even in a stripped bootstrap; mangled names that mention the module (`20FoundationEssentials`) count too;
# - prints the size: bytes, MB and gzipped MB (what the deployment zip roughly costs).
# Exits non-zero, naming each violation, if any binary fails. Uses readelf, objdump and strings (binutils) only:
# nothing here runs the binary.
set -euo pipefail

# Libraries a bootstrap may link dynamically; all are in the provided.al2023 runtime:
# - glibc's own: libc, libm, the dynamic loader; libdl, libpthread, librt are stubs inside libc since
#   glibc 2.34 but still exist, and older toolchains record them;
# - libstdc++ and libgcc_s: the Swift runtime needs them, and their static versions pull in newer glibc
#   symbols (arc4random@GLIBC_2.36, _dl_find_object@GLIBC_2.35), so they stay dynamic;
# Not allowed: libcurl (loaded with dlopen, so a missing or differently versioned libcurl is a clear run-time
# error rather than a refusal to load); libcrypto (SigV4 opens libcrypto.so.3 with dlopen on its first hash,
# Sources/SigV4/CryptoLibrary.swift: linked, the loader mapped and relocated its 4.7 MB before `main`, and
# libcurl maps it anyway once loaded; a missing one is an error of each invocation that signs); libutil
# (nothing on the Lambda path uses it), libz, ICU, and any Swift or Foundation shared library (the Swift
# stdlib must be linked statically). With libcrypto gone no OPENSSL_* symbol version can be needed, so
# there is no OpenSSL version limit any more.
ALLOWED_LIBS=(
  libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1
  ld-linux-x86-64.so.2 ld-linux-aarch64.so.1
  libgcc_s.so.1 libstdc++.so.6
)

# Highest symbol version AL2023 provides, per version prefix.
MAX_GLIBC=2.34
MAX_GLIBCXX=3.4.29
MAX_CXXABI=1.3.13

# ICU's data alone is about 30 MB and a FoundationInternationalization bootstrap about 58 MB; a bootstrap with
# FoundationEssentials is about 14 MB. Anything past this limit has almost certainly linked ICU.
MAX_BYTES=$((40 * 1024 * 1024))

# True when version $1 <= version $2 (dotted numbers).
version_le() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | tail -n 1)" = "$2" ]; }

# Prints "<bytes / 2^20 with two decimals>" without floating point tools.
megabytes() { printf '%d.%02d' $(($1 / 1048576)) $((($1 % 1048576) * 100 / 1048576)); }

failures=0
fail() {
  echo "  FAIL: $*" >&2
  failures=$((failures + 1))
}

# Checks the highest version of prefix $2 (e.g. GLIBC) needed by binary $1 against $3.
check_versions() {
  local binary=$1 prefix=$2 max=$3 versions highest offenders
  versions=$(readelf -V -W "$binary" | sed -n "s/.*Name: ${prefix}_\([0-9][0-9.]*\) .*/\1/p" | sort -V -u)
  [ -n "$versions" ] || return 0
  highest=$(tail -n 1 <<<"$versions")
  if version_le "$highest" "$max"; then
    echo "  ok: highest ${prefix}_${highest} (limit ${prefix}_${max})"
  else
    offenders=$(objdump -T "$binary" | awk -v p="$prefix" -v max="$max" '
      { for (i = 1; i <= NF; i++) if ($i ~ "^\\(?" p "_[0-9]") { v = $i; gsub(/[()]/, "", v); print $NF "@" v } }' |
      while read -r sym; do
        v=${sym##*@"${prefix}"_}
        version_le "$v" "$max" || echo "$sym"
      done | sort -u | head -n 10 | tr '\n' ' ')
    fail "needs ${prefix}_${highest}, newer than ${prefix}_${max} on Amazon Linux 2023: ${offenders}"
  fi
}

check_binary() {
  local binary=$1 lib allowed bytes gzipped curl_versioned icu_symbols foundation
  echo "== $binary"
  if [ ! -f "$binary" ]; then
    fail "no such file"
    return
  fi
  if ! readelf -h "$binary" >/dev/null 2>&1; then
    fail "not an ELF file"
    return
  fi
  if [ ! -x "$binary" ]; then
    fail "not executable (Lambda runs bootstrap directly)"
  fi
  if ! readelf -l -W "$binary" | grep -q 'Requesting program interpreter'; then
    echo "  note: statically linked (no program interpreter)"
  fi

  check_versions "$binary" GLIBC "$MAX_GLIBC"
  check_versions "$binary" GLIBCXX "$MAX_GLIBCXX"
  check_versions "$binary" CXXABI "$MAX_CXXABI"

  curl_versioned=$(objdump -T "$binary" | awk '
    { for (i = 1; i <= NF; i++) if ($i ~ /^\(?CURL_/) { v = $i; gsub(/[()]/, "", v); print $NF "@" v } }' |
    sort -u | head -n 10 | tr '\n' ' ')
  if [ -n "$curl_versioned" ]; then
    fail "versioned libcurl symbols (AL2023's libcurl has no CURL_OPENSSL_* versions): ${curl_versioned}"
  else
    echo "  ok: no versioned libcurl symbols"
  fi

  while read -r lib; do
    allowed=no
    for a in "${ALLOWED_LIBS[@]}"; do [ "$lib" = "$a" ] && allowed=yes; done
    case "$lib" in
      libicu*|*FoundationInternationalization*|*_FoundationICU*) fail "linked against ICU: $lib (String(format:), DateFormatter and friends pull it in)" ;;
      libcrypto*|libssl*) fail "NEEDED $lib is not on the allow-list in $0: SigV4 opens libcrypto at run time (Sources/SigV4/CryptoLibrary.swift)" ;;
      *) [ "$allowed" = yes ] || fail "NEEDED $lib is not on the allow-list in $0" ;;
    esac
  done < <(readelf -d -W "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  echo "  NEEDED: $(readelf -d -W "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"

  # ICU linked statically leaves no NEEDED entry, but its C API is exported (u_*, ucal_*, udat_*) or the
  # binary is huge: check both.
  icu_symbols=$(objdump -T "$binary" | awk '{print $NF}' | grep -E '^(u_|ucal_|udat_|unum_|ucol_|ubrk_)[A-Za-z]' | head -n 5 | tr '\n' ' ' || true)
  [ -z "$icu_symbols" ] || fail "exports ICU symbols: ${icu_symbols}"

  foundation=$(strings -a -n 8 "$binary" |
    grep -oE '^(FoundationEssentials|FoundationInternationalization|_FoundationCShims|_FoundationCollections|Foundation)$|[0-9]+(FoundationEssentials|FoundationInternationalization)' |
    sed 's/^[0-9]*//' | sort | uniq -c | awk '{printf "%s (%d) ", $2, $1}' || true)
  if [ -n "$foundation" ]; then
    fail "contains Foundation (module names in its Swift metadata: ${foundation}): the bootstraps must use JSONCoding and libc instead (docs/benchmarks.md)"
  else
    echo "  ok: no Foundation module in the binary"
  fi

  # Not a violation, but worth knowing: String's firstRange(of:), replacing(_:with:), contains(String) and
  # regexes come from _StringProcessing/_RegexParser, about 1.3 MB of a bootstrap.
  if strings -a -n 8 "$binary" | grep -qxE '_StringProcessing|_RegexParser'; then
    echo "  note: links _StringProcessing/_RegexParser (about 1.3 MB): a String search or replace API in the Lambda code?"
  fi

  bytes=$(stat -c %s "$binary")
  gzipped=$(gzip -9 -c "$binary" | wc -c)
  echo "  size: ${bytes} bytes, $(megabytes "$bytes") MB, gzipped $(megabytes "$gzipped") MB"
  if [ "$bytes" -gt "$MAX_BYTES" ]; then
    fail "$(megabytes "$bytes") MB is over $(megabytes "$MAX_BYTES") MB: ICU (FoundationInternationalization) linked in?"
  fi
}

if [ $# -eq 0 ]; then
  echo "usage: $0 <binary>..." >&2
  exit 2
fi
for tool in readelf objdump gzip strings; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool not found (install binutils / gzip)" >&2; exit 2; }
done

for binary in "$@"; do
  check_binary "$binary"
done
if [ "$failures" -gt 0 ]; then
  echo "bootstrap_check: $failures violation(s): these binaries would not load or fit on Amazon Linux 2023" >&2
  exit 1
fi
echo "bootstrap_check: all $# binaries OK for Amazon Linux 2023"
