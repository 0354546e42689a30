#!/usr/bin/env bash
# The README's quick start, for a fresh machine (Node 20 or newer with npm; no pnpm needed):
#   bash scripts/quickstart.sh demo   # install, build, run the demo
#   bash scripts/quickstart.sh test   # install, then lint, typecheck, build, test, check:packages
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
set -euo pipefail

pnpm install --frozen-lockfile --prefer-offline --reporter=append-only

case "${1:-}" in
  demo)
    shift
    exec pnpm demo "$@"
    ;;
  test)
    bash scripts/ensure-redis.sh
    log="$(mktemp)"
    trap 'rm -f "$log"' EXIT
    status=0
    pnpm verify 2>&1 | tee "$log" || status=$?
    # One closing line over every package's vitest summary ("Tests  12 passed | 1 failed (13)").
    sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^\S+:test: +Tests +' | awk '
      { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed/) passed += $(i - 1); if ($(i) ~ /^failed/) failed += $(i - 1) } }
      END { printf "%d passed, %d failed\n", passed, failed }'
    exit "$status"
    ;;
  *)
    echo "usage: bash scripts/quickstart.sh demo|test" >&2
    exit 2
    ;;
esac
