#!/usr/bin/env bash
# Builds the local base image of the platform's images from Debian's packages, for machines that reach no container
# registry: a minimal Debian bookworm with OpenJDK 17's headless JRE (debootstrap, then docker import). Does nothing
# when the image exists already. Needs root (debootstrap) and a Debian package mirror.
#   docker/base-image.sh [image name, default dcp/jre17-base:bookworm]
set -euo pipefail
IMAGE="${1:-dcp/jre17-base:bookworm}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "base-image.sh: $IMAGE exists"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "base-image.sh: debootstrap needs root; run as root, or build on an image with a JRE 17 (BASE_IMAGE=...)" >&2
  exit 1
fi
if ! command -v debootstrap >/dev/null; then
  apt-get update -q && apt-get install -y -q debootstrap
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
echo "base-image.sh: debootstrap of Debian bookworm with openjdk-17-jre-headless (a few minutes)..."
debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$work/rootfs" "$MIRROR" > "$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
# Nothing the image needs at run time: package caches and lists, documentation.
rm -rf "$work/rootfs"/var/cache/apt/archives/*.deb "$work/rootfs"/var/lib/apt/lists/* \
  "$work/rootfs"/usr/share/doc/* "$work/rootfs"/usr/share/man/*
java_home="$(cd "$work/rootfs" && ls -d usr/lib/jvm/java-17-openjdk-* | head -n 1)"
tar -C "$work/rootfs" -c . | docker import \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV JAVA_HOME=/$java_home" \
  --change "ENV LANG=C.UTF-8" \
  --change 'CMD ["/bin/bash"]' \
  - "$IMAGE" >/dev/null
echo "base-image.sh: built $IMAGE in $(( $(date +%s) - start )) s"
