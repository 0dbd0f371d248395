#!/usr/bin/env bash
# Builds the offline test images from files on this machine only (no registry is reachable here).
#   cleanroom/busybox:latest  busybox-static as a rootfs (sh, wget, nc, sleep… as applets)
#   cleanroom/node:20         the host's node binary + the glibc libs it links + busybox for sh
#   cleanroom/demo:latest     cleanroom/node:20 + examples/demo + the node_modules it imports
#   cleanroom/clnrm:latest    cleanroom/node:20 + our CLI (bin + dist) + its runtime node_modules + bash
#   cleanroom/chaos-proxy:latest  cleanroom/node:20 + dist/chaos-proxy.cjs (`clnrm chaos proxy`, self-contained)
#   cleanroom/otlp-relay:latest   cleanroom/node:20 + dist/otlp-relay.cjs (the span relay for remote engines)
# Idempotent: each image carries a label with a hash of its inputs and is rebuilt only when that changes.
# Usage: resources/images/build.sh [--force]   (needs a running Docker engine; run as root for apt)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
force=0
[ "${1:-}" = "--force" ] && force=1

log() { echo "[images] $*"; }
die() { echo "[images] error: $*" >&2; exit 1; }

docker info >/dev/null 2>&1 || die "Docker engine not reachable (start dockerd, or set DOCKER_HOST)"

busybox_bin=""
for candidate in /bin/busybox /usr/bin/busybox; do
  if [ -x "$candidate" ] && ! ldd "$candidate" >/dev/null 2>&1; then busybox_bin="$candidate"; break; fi
done
if [ -z "$busybox_bin" ]; then
  # `ldd` fails on static binaries, which is what we need inside a FROM-scratch image.
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing busybox-static"
    lock=""; command -v flock >/dev/null 2>&1 && lock="flock /tmp/apt.lock"
    $lock apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive $lock apt-get install -y -qq busybox-static >/dev/null 2>&1 || die "apt-get install busybox-static failed"
    busybox_bin=/bin/busybox
  else
    die "a statically linked busybox is needed: apt-get install busybox-static (as root)"
  fi
fi
node_bin="$(readlink -f "$(command -v node)")"

work="$(mktemp -d /tmp/clnrm-images.XXXXXX)"
trap 'rm -rf "$work"' EXIT

current_hash() { docker image inspect --format '{{ index .Config.Labels "clnrm.input-hash" }}' "$1" 2>/dev/null || true; }
up_to_date() { [ "$force" = 0 ] && [ "$(current_hash "$1")" = "$2" ]; }
hash_of() { sha256sum "$@" | sha256sum | cut -c1-16; }

# A minimal rootfs: busybox with its applets as symlinks, /etc basics, /tmp.
make_busybox_rootfs() {
  local root="$1"
  mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/etc" "$root/tmp" "$root/root" "$root/proc" "$root/sys" "$root/dev"
  chmod 1777 "$root/tmp"
  cp "$busybox_bin" "$root/bin/busybox"
  local applet
  for applet in $("$busybox_bin" --list); do
    [ "$applet" = busybox ] || ln -sf /bin/busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  # glibc resolves through /etc/hosts first (host.docker.internal lives there), then Docker's DNS.
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
}

import_rootfs() {
  local root="$1" tag="$2" hash="$3"; shift 3
  local changes=(--change "LABEL clnrm.input-hash=$hash" --change "LABEL clnrm.image=$tag"
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin')
  local c
  for c in "$@"; do changes+=(--change "$c"); done
  tar -C "$root" -c . | docker import "${changes[@]}" - "$tag" >/dev/null
}

# ── cleanroom/busybox ────────────────────────────────────────────────────────────────────────────
bb_hash="$(hash_of "$busybox_bin" "$0")"
if up_to_date cleanroom/busybox:latest "$bb_hash"; then
  log "cleanroom/busybox:latest up to date"
else
  log "building cleanroom/busybox:latest from $busybox_bin"
  make_busybox_rootfs "$work/busybox"
  import_rootfs "$work/busybox" cleanroom/busybox:latest "$bb_hash" 'CMD ["sh"]'
fi

# ── cleanroom/node:20 ────────────────────────────────────────────────────────────────────────────
node_libs=()
while read -r lib; do node_libs+=("$lib"); done < <(ldd "$node_bin" | grep -oE '/[^ ]+' | sort -u)
node_hash="$(hash_of "$busybox_bin" "$node_bin" "${node_libs[@]}" "$0")"
if up_to_date cleanroom/node:20 "$node_hash"; then
  log "cleanroom/node:20 up to date"
else
  log "building cleanroom/node:20 from $node_bin ($("$node_bin" --version))"
  make_busybox_rootfs "$work/node"
  mkdir -p "$work/node/usr/local/bin"
  cp "$node_bin" "$work/node/usr/local/bin/node"
  for lib in "${node_libs[@]}"; do
    # Keep each library at the path the binary asks for (the loader path is baked into the ELF).
    mkdir -p "$work/node$(dirname "$lib")"
    cp -L "$lib" "$work/node$lib"
  done
  import_rootfs "$work/node" cleanroom/node:20 "$node_hash" 'CMD ["node"]'
fi

# ── cleanroom/demo ───────────────────────────────────────────────────────────────────────────────
demo_src="$repo/examples/demo"
[ -f "$demo_src/main.mjs" ] || die "examples/demo/main.mjs missing: the demo image needs the demo system's code"
ctx="$work/demo"
mkdir -p "$ctx/app"
cp -R "$demo_src/." "$ctx/app/"
rm -rf "$ctx/app/node_modules"
node "$here/collect-modules.mjs" "$repo" "$ctx/app/node_modules" "$demo_src/package.json" >/dev/null \
  || die "could not collect the demo's node_modules (run npm ci first: the OpenTelemetry packages are devDependencies)"
demo_hash="$( (cd "$ctx/app" && find . -type f | LC_ALL=C sort | xargs sha256sum; echo "$node_hash") | sha256sum | cut -c1-16)"
if up_to_date cleanroom/demo:latest "$demo_hash" && [ "$(current_hash cleanroom/node:20)" = "$node_hash" ]; then
  log "cleanroom/demo:latest up to date"
else
  log "building cleanroom/demo:latest"
  cat >"$ctx/Dockerfile" <<EOF
FROM cleanroom/node:20
COPY app /app
WORKDIR /app
LABEL clnrm.input-hash=$demo_hash clnrm.image=cleanroom/demo:latest
ENTRYPOINT ["node", "/app/main.mjs"]
CMD ["api"]
EOF
  docker build -q -t cleanroom/demo:latest "$ctx" >/dev/null
fi

# ── cleanroom/clnrm ──────────────────────────────────────────────────────────────────────────────
# Our own CLI in a container (the Rosetta Stone scenarios run `clnrm self-test` in it). The bundle's bare
# imports are its runtime packages; `bash` is the host's, with the libraries it links (the scenarios run
# `bash -lc '…'`). The entry point runs the command, then keeps the container up until it is stopped.
for f in cli.js store-worker.js parse-worker.js; do
  [ -f "$repo/dist/$f" ] || die "dist/$f missing: run node scripts/build.mjs (or npm ci) before building cleanroom/clnrm"
done
ctx="$work/clnrm"
mkdir -p "$ctx/opt/clnrm/bin" "$ctx/opt/clnrm/dist" "$ctx/usr/local/bin" "$ctx/bin"
cp "$repo/bin/clnrm.js" "$ctx/opt/clnrm/bin/"
cp "$repo/dist/cli.js" "$repo/dist/store-worker.js" "$repo/dist/parse-worker.js" "$ctx/opt/clnrm/dist/"
runtime_deps="$(grep -ohE '^import [^;]*from "[^".][^"]*"' "$repo/dist/cli.js" "$repo/dist/store-worker.js" "$repo/dist/parse-worker.js" \
  | grep -oE '"[^"]+"' | tr -d '"' | grep -v '^node:' | sed -E 's#^(@[^/]+/[^/]+|[^@/][^/]*).*#\1#' | sort -u)"
{
  printf '{ "name": "clnrm-image", "private": true, "type": "module", "dependencies": {'
  sep=""
  for dep in $runtime_deps; do printf '%s "%s": "*"' "$sep" "$dep"; sep=","; done
  printf ' } }\n'
} >"$ctx/opt/clnrm/package.json"
node "$here/collect-modules.mjs" "$repo" "$ctx/opt/clnrm/node_modules" "$ctx/opt/clnrm/package.json" >/dev/null \
  || die "could not collect the CLI's node_modules (run npm ci first)"
bash_bin="$(readlink -f /bin/bash)"
mkdir -p "$ctx/rootfs/bin"
cp "$bash_bin" "$ctx/rootfs/bin/bash"
while read -r lib; do
  mkdir -p "$ctx/rootfs$(dirname "$lib")"
  cp -L "$lib" "$ctx/rootfs$lib"
done < <(ldd "$bash_bin" | grep -oE '/[^ ]+' | sort -u)
printf '#!/bin/sh\nexec node /opt/clnrm/bin/clnrm.js "$@"\n' >"$ctx/usr/local/bin/clnrm"
cp "$here/clnrm-toolbox.sh" "$ctx/usr/local/bin/clnrm-toolbox"
chmod 755 "$ctx/usr/local/bin/clnrm" "$ctx/usr/local/bin/clnrm-toolbox"
clnrm_hash="$( (cd "$ctx" && find . -type f | LC_ALL=C sort | xargs sha256sum; echo "$node_hash") | sha256sum | cut -c1-16)"
if up_to_date cleanroom/clnrm:latest "$clnrm_hash" && [ "$(current_hash cleanroom/node:20)" = "$node_hash" ]; then
  log "cleanroom/clnrm:latest up to date"
else
  log "building cleanroom/clnrm:latest"
  cat >"$ctx/Dockerfile" <<EOF
FROM cleanroom/node:20
COPY rootfs /
COPY opt /opt
COPY usr /usr
LABEL clnrm.input-hash=$clnrm_hash clnrm.image=cleanroom/clnrm:latest
ENTRYPOINT ["/usr/local/bin/clnrm-toolbox"]
CMD ["clnrm", "--help"]
EOF
  docker build -q -t cleanroom/clnrm:latest "$ctx" >/dev/null
fi

# ── cleanroom/chaos-proxy ────────────────────────────────────────────────────────────────────────
# The fault proxy on a run's network, in front of a service (main/chaos/proxy/interpose.ts): one bundled
# file, no node_modules. Its API listens on every interface of the container (port 8474).
[ -f "$repo/dist/chaos-proxy.cjs" ] || die "dist/chaos-proxy.cjs missing: run node scripts/build.mjs before building cleanroom/chaos-proxy"
ctx="$work/chaos-proxy"
mkdir -p "$ctx/opt/chaos-proxy"
cp "$repo/dist/chaos-proxy.cjs" "$ctx/opt/chaos-proxy/"
proxy_hash="$( (sha256sum "$ctx/opt/chaos-proxy/chaos-proxy.cjs"; echo "$node_hash") | sha256sum | cut -c1-16)"
if up_to_date cleanroom/chaos-proxy:latest "$proxy_hash" && [ "$(current_hash cleanroom/node:20)" = "$node_hash" ]; then
  log "cleanroom/chaos-proxy:latest up to date"
else
  log "building cleanroom/chaos-proxy:latest"
  cat >"$ctx/Dockerfile" <<EOF
FROM cleanroom/node:20
COPY opt /opt
LABEL clnrm.input-hash=$proxy_hash clnrm.image=cleanroom/chaos-proxy:latest
EXPOSE 8474
ENTRYPOINT ["node", "/opt/chaos-proxy/chaos-proxy.cjs", "chaos", "proxy", "--host", "0.0.0.0"]
EOF
  docker build -q -t cleanroom/chaos-proxy:latest "$ctx" >/dev/null
fi

# ── cleanroom/otlp-relay ─────────────────────────────────────────────────────────────────────────
# The span relay on a remote engine's run network (main/relay, main/runner/relay.ts): OTLP/HTTP on 4318 of
# its container; spans leave as records on stdout, read back over the engine's API. One bundled file.
[ -f "$repo/dist/otlp-relay.cjs" ] || die "dist/otlp-relay.cjs missing: run node scripts/build.mjs before building cleanroom/otlp-relay"
ctx="$work/otlp-relay"
mkdir -p "$ctx/opt/otlp-relay"
cp "$repo/dist/otlp-relay.cjs" "$ctx/opt/otlp-relay/"
relay_hash="$( (sha256sum "$ctx/opt/otlp-relay/otlp-relay.cjs"; echo "$node_hash") | sha256sum | cut -c1-16)"
if up_to_date cleanroom/otlp-relay:latest "$relay_hash" && [ "$(current_hash cleanroom/node:20)" = "$node_hash" ]; then
  log "cleanroom/otlp-relay:latest up to date"
else
  log "building cleanroom/otlp-relay:latest"
  cat >"$ctx/Dockerfile" <<EOF
FROM cleanroom/node:20
COPY opt /opt
LABEL clnrm.input-hash=$relay_hash clnrm.image=cleanroom/otlp-relay:latest
EXPOSE 4318
ENTRYPOINT ["node", "/opt/otlp-relay/otlp-relay.cjs"]
EOF
  docker build -q -t cleanroom/otlp-relay:latest "$ctx" >/dev/null
fi

log "done: $(docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^cleanroom/' | tr '\n' ' ')"
