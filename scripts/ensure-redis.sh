#!/usr/bin/env bash
# The redis-store tests start their own redis-server on a free loopback port: make sure the binary
# is there (Debian's package), without leaving the package's own service running.
set -euo pipefail
command -v redis-server >/dev/null 2>&1 && exit 0
echo "ensure-redis: installing redis-server from Debian packages" >&2
if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
$sudo service redis-server stop >/dev/null 2>&1 || pkill -x redis-server || true
