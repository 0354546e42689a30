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
  demo) shift; exec pnpm demo "$@" ;;
  test) exec pnpm verify ;;
  *) echo "usage: bash scripts/quickstart.sh demo|test" >&2; exit 2 ;;
esac
