#!/usr/bin/env bash
# Runs the browser tests against fresh omsd processes of this checkout: builds omsd and the dashboard, then
#  1. omsd in dev mode (loopback = the demo account): `npm run e2e`, the trading scenario;
#  2. omsd NOT in dev mode, as in AWS: `npm run e2e:signin`, signing in with omsd's demo key.
# Each omsd runs on spare ports with a throw-away data directory and is stopped afterwards. Run from
# anywhere; exits with the first failure. Screenshots: <repo>/test-artifacts/e2e/.
#   OMS_E2E_HTTP  (127.0.0.1:18471)   OMS_E2E_KAFKA (127.0.0.1:19471)   (the second omsd uses port + 1)
#   GO (go)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
fe="$(dirname "$here")"
repo="$(dirname "$fe")"
http="${OMS_E2E_HTTP:-127.0.0.1:18471}"
kafka="${OMS_E2E_KAFKA:-127.0.0.1:19471}"
next_port() { echo "${1%:*}:$(( ${1##*:} + 1 ))"; }
work="$(mktemp -d)"
pid=""
ok=0

stop_omsd() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "e2e: omsd did not stop within 15 s of SIGTERM; sending SIGQUIT (goroutine dump in $log)" >&2
      kill -QUIT "$pid" 2>/dev/null || true
      sleep 2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  pid=""
}
cleanup() {
  stop_omsd
  rm -rf "$work"/data-* "$work/omsd"
  if [ "$ok" = 1 ]; then rm -rf "$work"; else echo "e2e: omsd logs: $work/omsd-*.log" >&2; fi
}
trap cleanup EXIT

# start_omsd NAME HTTP KAFKA [FLAGS...]: starts omsd and waits for /health.
start_omsd() {
  local name="$1" addr="$2" kaddr="$3"
  shift 3
  if curl -fsS -m 2 "http://$addr/health" >/dev/null 2>&1; then
    echo "e2e: something already answers on $addr; set OMS_E2E_HTTP (and OMS_E2E_KAFKA) to free ports" >&2
    exit 1
  fi
  log="$work/omsd-$name.log"
  "$work/omsd" "$@" -http "$addr" -kafka "$kaddr" -data "$work/data-$name" -static "$fe/dist" >"$log" 2>&1 &
  pid=$!
  for i in $(seq 1 120); do
    if ! kill -0 "$pid" 2>/dev/null; then echo "e2e: omsd exited during start-up:" >&2; tail -40 "$log" >&2; exit 1; fi
    if [ "$i" = 120 ]; then echo "e2e: omsd not healthy after 60 s:" >&2; tail -40 "$log" >&2; exit 1; fi
    if curl -fsS -m 2 "http://$addr/health" >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
}

[ -x /usr/bin/chromium ] || { echo "e2e: /usr/bin/chromium missing: apt-get install -y chromium" >&2; exit 1; }
( cd "$fe" && [ -d node_modules ] || npm ci --no-audit --no-fund )
( cd "$fe" && npm run build >/dev/null )
( cd "$repo" && "${GO:-go}" build -o "$work/omsd" ./hotpath/cmd/omsd )

start_omsd dev "$http" "$kafka" -dev
( cd "$fe" && OMS_E2E_URL="http://$http/" npm run e2e )
stop_omsd

http2="$(next_port "$http")"
start_omsd signin "$http2" "$(next_port "$kafka")"
# omsd prints "Demo account demo  API key id <id>  secret <secret>".
key_line="$(grep -m1 'API key id' "$log")"
key_id="$(sed -E 's/.*API key id ([^ ]+).*/\1/' <<<"$key_line")"
key_secret="$(sed -E 's/.*  secret ([^ ]+).*/\1/' <<<"$key_line")"
( cd "$fe" && OMS_E2E_URL="http://$http2/" OMS_E2E_KEY_ID="$key_id" OMS_E2E_SECRET="$key_secret" npm run e2e:signin )
ok=1
