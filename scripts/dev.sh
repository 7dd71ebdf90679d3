#!/usr/bin/env bash
# `make dev`: the whole system on loopback, from a fresh clone. Sets up what running locally needs,
# builds (one progress line; the compiler's output only when it fails), starts moto on
# 127.0.0.1:${DYNAMODB_PORT:-8000} (unless AWS_ENDPOINT_URL_DYNAMODB points at DynamoDB Local or a
# real table) and the local gateway on 127.0.0.1:${PORT:-8080}, and prints a banner with the page's
# URL and the snippet for your own page once everything is ready.
#
# The tables are kept between runs in .dev-state/tables.json (git-ignored): the count goes on where it
# stopped. `make dev-reset` (DEV_RESET=1) starts from zero.
#
# Ctrl-C or SIGTERM stops everything in order and exits 0: the gateway closes every WebSocket and
# waits for their $disconnects, stops the function processes, and only then is moto stopped (and
# saves the tables). moto runs in a session of its own so the terminal's Ctrl-C does not reach it
# first; it also stops when this script dies (its stdin is a pipe from here), and the function
# processes die with the gateway whatever kills it.
#
#   PORT=9090 DYNAMODB_PORT=8001 make dev
#   AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000 AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… make dev
#   GATEWAY_ARGS="--instances 3 --live-viewers --allowed-origins http://localhost:5500" make dev
#   DEV_STATE_DIR=/tmp/other make dev     (another folder for the tables; the tests use this)
#
# AWS's harder behaviours (docs/local-faults.md):
#   CONTENTION_MS=20 make dev     DynamoDB's transaction conflicts, modelled in front of moto by
#                                 scripts/fault_proxy.py --contention-ms 20: the functions go through it
#   GATEWAY_ARGS="--counter-shards 8" CONTENTION_MS=20 make dev   ... with the counter spread over 8
#                                 items, as the template deploys it (CounterShards)
#   GATEWAY_ARGS="--drop-disconnects 0.3 --fault-seed 7"   lose 30% of the $disconnects
#   GATEWAY_ARGS="--ttl-lag 60"   delete expired rows 60 s after their expiresAt (default: never, as moto)
#   GATEWAY_ARGS="--idle-timeout 30"   close connections idle for 30 s (API Gateway: 600)
#   GATEWAY_ARGS="--fault-control", then
#     curl -d '{"seconds": 3}' http://127.0.0.1:8080/_local/faults/management-throttle
#                                 the Management API answers 429 to every POST for 3 s
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8080}
DYNAMODB_PORT=${DYNAMODB_PORT:-8000}
HOST=127.0.0.1
STATE_DIR=${DEV_STATE_DIR:-.dev-state}
log() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

port_busy() {
  python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)
PY
}

# One progress line; the compiler's output (kept in $1) is shown only when the build fails.
build() {
  local started=$SECONDS first=""
  [ -x "$(scripts/swift_build.sh local --show-bin-path 2>/dev/null)/LocalGateway" ] || first=" (the first build takes several minutes)"
  printf '==> swift build%s ... ' "$first"
  # The gateway, and next to it the two functions it runs (products of the Lambda package, built by the
  # local stack's package so that all three sit in one folder).
  if scripts/swift_build.sh local > "$1" 2>&1 && scripts/swift_build.sh local --product DBUpdater >> "$1" 2>&1 \
    && scripts/swift_build.sh local --product DBStreamProcessor >> "$1" 2>&1; then
    printf 'done in %ss\n' "$((SECONDS - started))"
  else
    printf 'failed\n'
    tail -n 60 "$1" >&2
    die "swift build failed (the whole output is in $1)"
  fi
}

# The last thing printed once everything is ready: where to look, and the snippet for your own page
# (the README's "Put the counter on your own page", with this run's address).
banner() {
  local url="http://$HOST:$PORT/" ws="ws://$HOST:$PORT/local" bold="" dim="" reset=""
  if [ -t 1 ]; then bold=$'\e[1;32m' dim=$'\e[2m' reset=$'\e[0m'; fi
  cat <<EOF

${bold}================================================================================
  VisitorCounter is running:  $url   (open it in two tabs)
================================================================================${reset}
  WebSocket endpoint:  $ws

  To show the count on your own page, copy web/visitor-counter.js next to it and add:

    <p>
      <span data-visitor-count data-endpoint="$ws">–</span> visits to this site
      <span data-live-viewers hidden>· <span data-live-viewers-count></span> here now</span>
      <span data-visitor-status></span>
    </p>
    <script src="visitor-counter.js" defer></script>

  ${dim}Once deployed, use the stack's WebSocketURL output instead of $ws.
  The count is kept in $STATE_DIR/ between runs (make dev-reset starts over). Ctrl-C stops everything.${reset}

EOF
}

# Fail before building anything when a port is taken.
port_busy "$PORT" && die "port $PORT is in use (another 'make dev'?). Choose another one: PORT=9090 make dev"
if [ -z "${AWS_ENDPOINT_URL_DYNAMODB:-}" ] && port_busy "$DYNAMODB_PORT"; then
  die "port $DYNAMODB_PORT (moto) is in use. Choose another one: DYNAMODB_PORT=8001 make dev, or point AWS_ENDPOINT_URL_DYNAMODB at a running DynamoDB Local"
fi

scripts/setup.sh --local
mkdir -p "$STATE_DIR"
build "$STATE_DIR/build.log"
BIN_PATH=$(scripts/swift_build.sh local --show-bin-path)

workdir=$(mktemp -d)
gateway=""
moto_pid=""
stopping=0

# A signal only asks the gateway to stop; the rest happens below, in order, once it has exited.
on_signal() {
  stopping=1
  [ -n "$gateway" ] && kill -TERM "$gateway" 2>/dev/null || true
}
stop_moto() {
  [ -n "$moto_pid" ] || return 0
  # Closing its stdin is the stop request: it saves the tables and exits.
  exec {moto_in}>&-
  for _ in $(seq 1 100); do kill -0 "$moto_pid" 2>/dev/null || break; sleep 0.1; done
  kill -TERM "$moto_pid" 2>/dev/null || true
  wait "$moto_pid" 2>/dev/null || true
  moto_pid=""
}
cleanup() {
  trap - INT TERM EXIT
  [ -n "$gateway" ] && kill -TERM "$gateway" 2>/dev/null && wait "$gateway" 2>/dev/null
  if [ -n "${proxy_pid:-}" ]; then
    exec 9>&-
    wait "$proxy_pid" 2>/dev/null || true
  fi
  stop_moto
  rm -rf "$workdir"
}
trap on_signal INT TERM
trap cleanup EXIT

if [ -f template.yaml ]; then
  .venv/bin/python scripts/template_tables.py template.yaml -o "$workdir/tables.json"
  tables_args=(--tables "$workdir/tables.json")
else
  log "no template.yaml: using the design's default tables"
  tables_args=()
fi

if [ "${DEV_RESET:-0}" = 1 ] && [ -f "$STATE_DIR/tables.json" ]; then
  rm -f "$STATE_DIR/tables.json"
  log "starting over: the tables of earlier runs are deleted"
fi

if [ -z "${AWS_ENDPOINT_URL_DYNAMODB:-}" ]; then
  # coproc: moto's stdin and stdout are pipes to this script; setsid keeps the terminal's Ctrl-C away.
  coproc MOTO { exec setsid .venv/bin/python scripts/moto_server.py --host "$HOST" --port "$DYNAMODB_PORT" \
      --state "$STATE_DIR/tables.json" 2> "$workdir/moto.log"; }
  moto_pid=$MOTO_PID
  moto_in=${MOTO[1]}
  moto_line=""
  read -r -t 120 moto_line <&"${MOTO[0]}" || true
  [ -n "$moto_line" ] || { cat "$workdir/moto.log" >&2; die "moto did not start"; }
  printf '%s\n' "$moto_line" > "$workdir/moto.json"
  # The functions use temporary (session-token) credentials, as Lambda hands them a role's.
  eval "$(.venv/bin/python - "$workdir/moto.json" <<'PY'
import json, shlex, sys
info = json.load(open(sys.argv[1]))
creds = info.get("session") or info
print("export AWS_ENDPOINT_URL_DYNAMODB=%s" % shlex.quote(info["endpoint"]))
print("export AWS_REGION=%s" % shlex.quote(info["region"]))
print("export AWS_ACCESS_KEY_ID=%s" % shlex.quote(creds["accessKeyId"]))
print("export AWS_SECRET_ACCESS_KEY=%s" % shlex.quote(creds["secretAccessKey"]))
print("export AWS_SESSION_TOKEN=%s" % shlex.quote(creds.get("sessionToken") or ""))
restored = info.get("restored") or {}
print("restored_tables=%d" % len(restored))
PY
)"
  if [ "$restored_tables" -gt 0 ]; then
    log "moto on $HOST:$DYNAMODB_PORT with the tables of the last run ($STATE_DIR/; make dev-reset starts over)"
  else
    log "moto on $HOST:$DYNAMODB_PORT with new tables (kept in $STATE_DIR/ for the next run)"
  fi
else
  log "using DynamoDB at $AWS_ENDPOINT_URL_DYNAMODB"
fi

# CONTENTION_MS: the contention proxy between the functions and DynamoDB. Self-contained: it serves until
# its stdin (a FIFO this shell holds open on fd 9) closes: cleanup closes it after the gateway's last
# $disconnect, and it closes anyway when this script exits. setsid keeps the terminal's Ctrl-C away, as for moto.
if [ -n "${CONTENTION_MS:-}" ]; then
  [ -n "${AWS_ENDPOINT_URL_DYNAMODB:-}" ] || die "CONTENTION_MS needs a local DynamoDB (moto or DynamoDB Local)"
  log "modelling DynamoDB's transaction conflicts (${CONTENTION_MS} ms) in front of $AWS_ENDPOINT_URL_DYNAMODB"
  mkfifo "$workdir/proxy.stdin"
  setsid .venv/bin/python scripts/fault_proxy.py --upstream "$AWS_ENDPOINT_URL_DYNAMODB" --contention-ms "$CONTENTION_MS" \
    < "$workdir/proxy.stdin" > "$workdir/proxy.json" 2> "$workdir/proxy.log" &
  proxy_pid=$!
  exec 9> "$workdir/proxy.stdin"
  for _ in $(seq 1 300); do
    [ -s "$workdir/proxy.json" ] && break
    kill -0 "$proxy_pid" 2>/dev/null || { cat "$workdir/proxy.log" >&2; die "scripts/fault_proxy.py did not start"; }
    sleep 0.1
  done
  [ -s "$workdir/proxy.json" ] || die "scripts/fault_proxy.py printed nothing within 30 s"
  proxy_endpoint=$(.venv/bin/python -c 'import json, sys; print(json.load(open(sys.argv[1]))["endpoint"])' "$workdir/proxy.json")
  # Only the functions go through it; the gateway's own stream reading and table setup do not.
  GATEWAY_ARGS="${GATEWAY_ARGS:-} --function-dynamodb-endpoint $proxy_endpoint"
fi

# A Ctrl-C while moto was starting: nothing else to start.
if [ "$stopping" = 0 ]; then
  log "starting the local gateway on $HOST:$PORT"
  # shellcheck disable=SC2086 # GATEWAY_ARGS is a list of flags on purpose
  "$BIN_PATH/LocalGateway" --host "$HOST" --port "$PORT" --web-root web --bin-path "$BIN_PATH" \
    "${tables_args[@]}" ${GATEWAY_ARGS:-} &
  gateway=$!

  ready=0
  for _ in $(seq 1 600); do
    [ "$stopping" = 1 ] && break
    if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "http://$HOST:$PORT/" 2>/dev/null; then
      ready=1
      break
    fi
    kill -0 "$gateway" 2>/dev/null || break
    sleep 0.1
  done
  [ "$ready" = 1 ] && [ "$stopping" = 0 ] && banner

  # `wait` returns early when a signal arrives (the trap asks the gateway to stop): wait again until it
  # has really exited, then stop moto.
  status=0
  while :; do
    wait "$gateway" && status=0 || status=$?
    kill -0 "$gateway" 2>/dev/null || break
  done
fi
gateway=""
stop_moto
# The gateway exits 0 only when asked to stop (a signal that reached it rather than this script).
if [ "$stopping" = 1 ] || [ "$status" = 0 ]; then
  log "stopped"
  exit 0
fi
if [ "$status" -gt 128 ]; then
  die "the local gateway was killed (signal $((status - 128))); its function processes ended with it, moto is stopped"
fi
die "the local gateway exited with status $status (see above)"
