#!/usr/bin/env bash
# Runs the browser test against a fresh omsd of this checkout: builds omsd and the dashboard, starts omsd in
# dev mode on spare ports with a throw-away data directory, waits for /health, runs `npm run e2e`, stops
# omsd. Run from anywhere; exits with the test's status. Screenshots: <repo>/test-artifacts/e2e/.
#   OMS_E2E_HTTP  (127.0.0.1:18471)   OMS_E2E_KAFKA (127.0.0.1:19471)   GO (go)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
fe="$(dirname "$here")"
repo="$(dirname "$fe")"
http="${OMS_E2E_HTTP:-127.0.0.1:18471}"
kafka="${OMS_E2E_KAFKA:-127.0.0.1:19471}"
work="$(mktemp -d)"
pid=""

stop() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "e2e: omsd did not stop within 15 s of SIGTERM; sending SIGQUIT (goroutine dump in $work/omsd.log)" >&2
      kill -QUIT "$pid" 2>/dev/null || true
      sleep 2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$work/data" "$work/omsd"
  if [ "${ok:-0}" = 1 ]; then rm -rf "$work"; else echo "e2e: omsd log: $work/omsd.log" >&2; fi
}
trap stop EXIT

if curl -fsS -m 2 "http://$http/health" >/dev/null 2>&1; then
  echo "e2e: something already answers on $http; set OMS_E2E_HTTP (and OMS_E2E_KAFKA) to free ports" >&2
  exit 1
fi
[ -x /usr/bin/chromium ] || { echo "e2e: /usr/bin/chromium missing: apt-get install -y chromium" >&2; exit 1; }
( cd "$fe" && [ -d node_modules ] || npm ci --no-audit --no-fund )
( cd "$fe" && npm run build >/dev/null )
( cd "$repo" && "${GO:-go}" build -o "$work/omsd" ./hotpath/cmd/omsd )
"$work/omsd" -dev -http "$http" -kafka "$kafka" -data "$work/data" -static "$fe/dist" >"$work/omsd.log" 2>&1 &
pid=$!
for i in $(seq 1 120); do
  if ! kill -0 "$pid" 2>/dev/null; then echo "e2e: omsd exited during start-up:" >&2; tail -40 "$work/omsd.log" >&2; exit 1; fi
  if [ "$i" = 120 ]; then echo "e2e: omsd not healthy after 60 s:" >&2; tail -40 "$work/omsd.log" >&2; exit 1; fi
  if curl -fsS -m 2 "http://$http/health" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
cd "$fe"
OMS_E2E_URL="http://$http/" npm run e2e
ok=1
