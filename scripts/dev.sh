#!/usr/bin/env bash
# `make dev`: the whole system on loopback, from a fresh clone. Sets up, builds, starts moto on
# 127.0.0.1:${DYNAMODB_PORT:-8000} (unless AWS_ENDPOINT_URL_DYNAMODB points at DynamoDB Local or a
# real table), starts the local gateway on 127.0.0.1:${PORT:-8080}, prints the page URL, and on
# Ctrl-C stops every child process.
#
#   PORT=9090 DYNAMODB_PORT=8001 make dev
#   AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000 AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… make dev
#   GATEWAY_ARGS="--instances 3 --live-viewers" make dev
#
# AWS's harder behaviours (docs/local-faults.md):
#   CONTENTION_MS=20 make dev     DynamoDB's transaction conflicts, modelled in front of moto by
#                                 scripts/fault_proxy.py --contention-ms 20: the functions go through it
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

# Fail before building anything when a port is taken.
port_busy "$PORT" && die "port $PORT is in use (another 'make dev'?). Choose another one: PORT=9090 make dev"
if [ -z "${AWS_ENDPOINT_URL_DYNAMODB:-}" ] && port_busy "$DYNAMODB_PORT"; then
  die "port $DYNAMODB_PORT (moto) is in use. Choose another one: DYNAMODB_PORT=8001 make dev, or point AWS_ENDPOINT_URL_DYNAMODB at a running DynamoDB Local"
fi

scripts/setup.sh
log "swift build (the first build takes several minutes)"
swift build
BIN_PATH=$(swift build --show-bin-path)

children=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${children[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${children[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "${workdir:-}" ] && rm -rf "$workdir"
  log "stopped"
}
trap cleanup INT TERM EXIT
workdir=$(mktemp -d)

if [ -f template.yaml ]; then
  .venv/bin/python scripts/template_tables.py template.yaml -o "$workdir/tables.json"
  tables_args=(--tables "$workdir/tables.json")
else
  log "no template.yaml: using the design's default tables"
  tables_args=()
fi

if [ -z "${AWS_ENDPOINT_URL_DYNAMODB:-}" ]; then
  log "starting moto on $HOST:$DYNAMODB_PORT"
  .venv/bin/python scripts/moto_server.py --host "$HOST" --port "$DYNAMODB_PORT" --no-stdin-watch \
    > "$workdir/moto.json" 2> "$workdir/moto.log" &
  children+=($!)
  for _ in $(seq 1 600); do
    [ -s "$workdir/moto.json" ] && break
    kill -0 "${children[-1]}" 2>/dev/null || { cat "$workdir/moto.log" >&2; die "moto did not start"; }
    sleep 0.1
  done
  [ -s "$workdir/moto.json" ] || die "moto printed nothing within a minute"
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
PY
)"
else
  log "using DynamoDB at $AWS_ENDPOINT_URL_DYNAMODB"
fi

# CONTENTION_MS: the contention proxy between the functions and DynamoDB. Self-contained: it serves until
# its stdin (a FIFO this shell holds open on fd 9) closes, which happens when this script exits, however.
if [ -n "${CONTENTION_MS:-}" ]; then
  [ -n "${AWS_ENDPOINT_URL_DYNAMODB:-}" ] || die "CONTENTION_MS needs a local DynamoDB (moto or DynamoDB Local)"
  log "modelling DynamoDB's transaction conflicts (${CONTENTION_MS} ms) in front of $AWS_ENDPOINT_URL_DYNAMODB"
  mkfifo "$workdir/proxy.stdin"
  .venv/bin/python scripts/fault_proxy.py --upstream "$AWS_ENDPOINT_URL_DYNAMODB" --contention-ms "$CONTENTION_MS" \
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

log "starting the local gateway on $HOST:$PORT"
# shellcheck disable=SC2086 # GATEWAY_ARGS is a list of flags on purpose
"$BIN_PATH/LocalGateway" --host "$HOST" --port "$PORT" --web-root web --bin-path "$BIN_PATH" \
  "${tables_args[@]}" ${GATEWAY_ARGS:-} &
children+=($!)
gateway=${children[-1]}

for _ in $(seq 1 300); do
  if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "http://$HOST:$PORT/" 2>/dev/null; then
    printf '\n    Open http://%s:%s/ in two browser tabs. Ctrl-C stops everything.\n\n' "$HOST" "$PORT"
    break
  fi
  kill -0 "$gateway" 2>/dev/null || die "the gateway exited (see above)"
  sleep 0.1
done
wait "$gateway"
