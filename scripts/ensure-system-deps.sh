#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing: Ceph radosgw (a real S3 server),
# Chromium (browser tests), curl, Python's h5py and fsspec (the pages' "Open in Python" snippet is run),
# and for the container image test Docker's engine, debootstrap (its stand-in base image) and Debian's
# docker-compose (which checks the compose files). As root on Debian it installs them; anywhere else it
# stops with the command to run.
set -euo pipefail

packages=(radosgw ceph-mon ceph-osd ceph-common chromium fonts-dejavu-core curl python3-h5py python3-fsspec python3-aiohttp
  docker.io debootstrap docker-compose)
missing=()
command -v radosgw >/dev/null 2>&1 || missing+=(radosgw)
command -v ceph-mon >/dev/null 2>&1 || missing+=(ceph-mon)
command -v ceph-osd >/dev/null 2>&1 || missing+=(ceph-osd)
command -v ceph-authtool >/dev/null 2>&1 || missing+=(ceph-common)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v curl >/dev/null 2>&1 || missing+=(curl)
/usr/bin/python3 -c 'import h5py, fsspec, aiohttp' >/dev/null 2>&1 || missing+=(python3-h5py python3-fsspec python3-aiohttp)
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
[ ${#missing[@]} -eq 0 ] && exit 0

install="apt-get update && apt-get install -y --no-install-recommends ${packages[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing missing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
else
  echo "The tests need these Debian packages: ${missing[*]}. Install them with:" >&2
  echo "  sudo sh -c '$install'" >&2
  exit 1
fi
