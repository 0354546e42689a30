#!/usr/bin/env bash
# The redis-store tests start their own redis-server on a free loopback port, and a local 3-node
# cluster joined with redis-cli: make sure both binaries are there (Debian's redis-server package,
# which brings redis-tools with redis-cli), without leaving the package's own service running.
set -euo pipefail
command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 && exit 0
echo "ensure-redis: installing redis-server and redis-tools (redis-cli) from Debian packages" >&2
if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server redis-tools >/dev/null
$sudo service redis-server stop >/dev/null 2>&1 || pkill -x redis-server || true
