#!/usr/bin/env bash
# Prints the name of a local stand-in for the official `node:24-bookworm-slim` image, building it once
# per Docker engine when it is missing: these machines reach Debian's mirror and the npm registry but not
# Docker Hub. The layout is the official image's (Debian bookworm, node and npm in /usr/local/bin, Node's
# headers in /usr/local/include/node), so the project's Dockerfile builds on it unchanged:
#   docker build --build-arg BASE_IMAGE="$(bash scripts/node-base-image.sh)" .
# Two settings differ, both for this network: the machine's CA bundle is added to Node's (the registry is
# reached through this machine's TLS proxy), and node-gyp compiles against the headers in /usr/local
# (it cannot download them here). Needs root (debootstrap) and a running engine (scripts/docker-engine.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
npm_version=11.19.1
node_home="$(bash scripts/node-24.sh)"
node_version="$("$node_home/bin/node" -p process.versions.node)"
image="braingeneers-search/node-base:$node_version-bookworm-slim"
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "$image"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "building $image needs root (debootstrap); run as root or pull node:24-bookworm-slim" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
echo "building $image: Debian bookworm (minbase) from deb.debian.org, Node.js $node_version, npm $npm_version" >&2
debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
# The official image's apt sources: the release, its updates and security.
cat >"$root/etc/apt/sources.list" <<'EOF'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
# Slim as Debian's -slim images are: no manuals, documentation or translations, now or from later installs.
cat >"$root/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
find "$root/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +

install -m 755 "$node_home/bin/node" "$root/usr/local/bin/node"
cp -R "$node_home/include/node" "$root/usr/local/include/node"
mkdir -p "$root/usr/local/lib/node_modules"
(cd "$work" && npm pack --silent "npm@$npm_version" >/dev/null)
tar -xzf "$work/npm-$npm_version.tgz" -C "$work"
mv "$work/package" "$root/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
# Apart from Debian's own /etc/ssl/certs, which installing ca-certificates would rewrite.
cp /etc/ssl/certs/ca-certificates.crt "$root/usr/local/share/machine-ca-bundle.crt"

tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/machine-ca-bundle.crt' \
  --change 'ENV npm_config_nodedir=/usr/local' \
  --change 'CMD ["node"]' \
  - "$image" >/dev/null
echo "$image"
