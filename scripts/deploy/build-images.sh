#!/usr/bin/env bash
# Builds the on-prem and the cloud images from the repository's Dockerfile
# (`--build-arg TARGET=onprem|cloud`), with Docker when a Docker daemon answers, else with
# `podman build --isolation=chroot` (works without a daemon, from a local base image).
#
#   scripts/deploy/build-images.sh [--check] [--target onprem|cloud|all] [--tag TAG]
#                                  [--registry HOST] [--push] [--base-image IMAGE]
#
#   --check        only say which builder would be used; exit 0 even when there is none
#   --target       which image(s) to build (default: all)
#   --tag          image tag (default: the git commit, with -dirty for uncommitted changes)
#   --registry     registry host to prefix, e.g. contosotimesheetcr.azurecr.io
#                  (terraform output -raw container_registry_login_server)
#   --push         push after building (log in first: az acr login --name <registry name>)
#   --base-image   Node base image passed as --build-arg BASE_IMAGE (default: the Dockerfile's)
#
# Images: [REGISTRY/]timesheet-onprem:TAG and [REGISTRY/]timesheet-cloud:TAG, for linux/amd64
# (what Azure Container Apps runs). The tag is printed last: give it to Terraform as
# container_image_tag.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CHECK=0
TARGETS="onprem cloud"
TAG=""
REGISTRY=""
PUSH=0
BASE_IMAGE=""
PLATFORM="linux/amd64"

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --check) CHECK=1 ;;
    --target)
      case "${2:-}" in
        onprem | cloud) TARGETS="$2" ;;
        all) TARGETS="onprem cloud" ;;
        *) echo "build-images: --target takes onprem, cloud or all" >&2; exit 2 ;;
      esac
      shift ;;
    --tag) TAG="${2:?--tag needs a value}"; shift ;;
    --registry) REGISTRY="${2:?--registry needs a value}"; shift ;;
    --push) PUSH=1 ;;
    --base-image) BASE_IMAGE="${2:?--base-image needs a value}"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "build-images: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# Which builder: Docker only if its daemon answers (the client alone is not enough).
BUILDER=""
if command -v docker >/dev/null 2>&1 && timeout 15 docker info >/dev/null 2>&1; then
  BUILDER="docker"
elif command -v podman >/dev/null 2>&1; then
  BUILDER="podman"
fi

if [ "$CHECK" = 1 ]; then
  case "$BUILDER" in
    docker) echo "build-images: builder available: docker ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo 'daemon answers'))" ;;
    podman) echo "build-images: builder available: podman build --isolation=chroot ($(podman --version 2>/dev/null))" ;;
    *) echo "build-images: no image builder available: no Docker daemon answers and podman is not installed (apt-get install podman, or run on a machine with Docker)" ;;
  esac
  exit 0
fi

if [ -z "$BUILDER" ]; then
  echo "build-images: no image builder available: no Docker daemon answers and podman is not installed (apt-get install podman, or run on a machine with Docker)" >&2
  exit 1
fi

if [ ! -f "$ROOT/Dockerfile" ]; then
  echo "build-images: no Dockerfile at $ROOT" >&2
  exit 1
fi

if [ -z "$TAG" ]; then
  if TAG="$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null)"; then
    if [ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ]; then TAG="$TAG-dirty"; fi
  else
    TAG="dev-$(date -u +%Y%m%d%H%M%S)"
  fi
fi
PREFIX="${REGISTRY:+${REGISTRY%/}/}"

for target in $TARGETS; do
  image="${PREFIX}timesheet-${target}:${TAG}"
  args=(build --file "$ROOT/Dockerfile" --build-arg "TARGET=$target" --platform "$PLATFORM" --tag "$image")
  if [ -n "$BASE_IMAGE" ]; then args+=(--build-arg "BASE_IMAGE=$BASE_IMAGE"); fi
  # --format docker: the OCI format has no HEALTHCHECK, and the images must keep theirs.
  if [ "$BUILDER" = podman ]; then args+=(--isolation=chroot --format docker); fi
  echo "build-images: $BUILDER ${args[*]} $ROOT"
  "$BUILDER" "${args[@]}" "$ROOT"
  if [ "$PUSH" = 1 ]; then
    if [ -z "$REGISTRY" ]; then
      echo "build-images: --push needs --registry" >&2
      exit 2
    fi
    "$BUILDER" push "$image"
  fi
  echo "build-images: built $image"
done

echo "build-images: tag $TAG"
