#!/usr/bin/env bash
# Makes sure a Docker engine answers, for the container image test: as root it starts Debian's dockerd
# (package docker.io, installed by scripts/ensure-system-deps.sh) when none is running and waits for it;
# anywhere else it stops with what to do. Its log goes to ${TMPDIR:-/tmp}/braingeneers-search-dockerd.log.
set -euo pipefail
docker info >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v dockerd >/dev/null 2>&1; then
  echo "The container image test needs a Docker engine: start one (e.g. sudo dockerd), or install docker.io as root" >&2
  exit 1
fi
log="${TMPDIR:-/tmp}/braingeneers-search-dockerd.log"
echo "starting dockerd (log: $log)" >&2
# setsid: the engine outlives this script and the test run that started it, like a service would.
setsid dockerd >"$log" 2>&1 </dev/null &
for _ in $(seq 1 60); do
  docker info >/dev/null 2>&1 && exit 0
  sleep 0.5
done
echo "dockerd did not answer within 30 s; its log:" >&2
tail -20 "$log" >&2
exit 1
