#!/usr/bin/env bash
# Runs scimconform against real SCIM servers on loopback and compares the
# verdicts with interop/expectations/<server>.tsv. See interop/README.md.
#
#   interop/run.sh [--baseline] [SERVER...]     SERVER: scimmy, better-auth (default: both)
#
# --baseline rewrites the expectations files from this run (judgements already
# in them are kept; new rows come in as 'unsure'). Exit status: 0 when every
# server matches its expectations, 1 on any difference, 2 on a setup failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
baseline=""
servers=()
for arg in "$@"; do
  case "$arg" in
    --baseline) baseline="--baseline" ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    scimmy|better-auth) servers+=("$arg") ;;
    *) echo "run.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
[ ${#servers[@]} -gt 0 ] || servers=(scimmy better-auth)

# Base path of the SCIM endpoint under http://127.0.0.1:PORT for each server.
base_path() {
  case "$1" in
    scimmy) echo "/scim/v2" ;;
    better-auth) echo "/api/auth/scim/v2" ;;
  esac
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

status=0
for server in "${servers[@]}"; do
  dir="$here/$server"
  out="$here/out/$server"
  echo "== $server: installing"
  if [ -f "$dir/package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  else
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
  fi

  port="$(free_port)"
  token="$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
  base="http://127.0.0.1:${port}$(base_path "$server")"
  rm -rf "$out"; mkdir -p "$out"
  echo "== $server: starting on $base (log: $out/server.log)"
  (cd "$dir" && PORT="$port" SCIM_TOKEN="$token" exec node server.mjs) >"$out/server.log" 2>&1 &
  server_pid=$!

  ready=""
  for _ in $(seq 1 100); do
    if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
    if curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$base/ServiceProviderConfig" 2>/dev/null; then
      ready=1; break
    fi
    sleep 0.2
  done
  if [ -z "$ready" ]; then
    echo "run.sh: $server did not answer $base/ServiceProviderConfig; server log:" >&2
    cat "$out/server.log" >&2
    stop_server
    exit 2
  fi

  echo "== $server: scimconform run --url $base --out $out"
  rc=0
  (cd "$root" && SCIMCONFORM_TOKEN="$token" go run ./cmd/scimconform run --url "$base" --out "$out") \
    >"$out/run.txt" 2>&1 || rc=$?
  stop_server
  grep -E '^(NOT )?CONFORMANT' "$out/run.txt" | tail -n 1 || true
  # go run turns any non-zero exit into 1, so a missing report is the sign of a broken run.
  if [ ! -f "$out/report.json" ]; then
    echo "run.sh: scimconform exited $rc without a report; see $out/run.txt" >&2
    tail -n 20 "$out/run.txt" >&2
    exit 2
  fi

  mkdir -p "$here/expectations"
  python3 "$here/compare.py" $baseline "$server" "$out/report.json" "$here/expectations/$server.tsv" || status=1
done
exit "$status"
