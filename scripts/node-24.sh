#!/usr/bin/env bash
# Prints the folder of a Node.js 24 (its bin/node and include/node), for the tests and CI on a machine
# whose Node is older: the official binary from the npm registry's node-linux-<arch> package, installed
# once into ~/.cache/braingeneers-search and kept. Nothing is printed but the folder.
#   export NODE_HOME="$(bash scripts/node-24.sh)" PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME"
set -euo pipefail
version=24.22.3
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) echo "no Node.js $version package for $(uname -m)" >&2; exit 1 ;;
esac
cache="${XDG_CACHE_HOME:-$HOME/.cache}/braingeneers-search/node-$version"
home="$cache/node_modules/node-linux-$arch"
if [ ! -x "$home/bin/node" ]; then
  echo "installing Node.js $version from the npm registry into $cache" >&2
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error "node-linux-$arch@$version" >&2
fi
echo "$home"
