#!/usr/bin/env bash
# Builds the platform's images from what Maven built (run `mvn -B -DskipTests package` first):
#   dcp-spark:<spark_version>   one runtime image per Spark version (3.5, 4.0): Spark Connect, submit, standalone
#   dcp-server                  the platform's server with every runtime
# each also tagged <name>:<tag>-<platform version> and <name>:<tag>-<git revision>.
#   docker/build.sh [3.5] [4.0] [server]      (all of them when none is named)
# BASE_IMAGE: the image the others start from; default eclipse-temurin:17-jre-jammy (from a registry). BASE_IMAGE=debian
# builds a local one from Debian's packages first (docker/base-image.sh), for machines that reach no registry.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
RUNTIMES_DIR="${RUNTIMES_DIR:-$root/spark-dist/target/runtimes}"
STAGE="$root/docker/target"
version="$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)"
revision="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
base="${BASE_IMAGE:-eclipse-temurin:17-jre-jammy}"
# One build at a time on this machine (two test JVMs may ask at once): the second waits, then finds the layers cached.
mkdir -p "$STAGE"
exec 9>"$STAGE/.build.lock"
flock 9
if [ "$base" = debian ]; then
  base=dcp/jre17-base:bookworm
  docker/base-image.sh "$base"
fi
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(3.5 4.0 server)

# Hard links where the stage is on the same file system as the build output, copies elsewhere.
link() {
  cp -l "$@" 2>/dev/null || cp "$@"
}

build() {
  local name="$1" tag="$2" context="$3" dockerfile="$4"
  shift 4
  local start
  start=$(date +%s)
  # The classic builder: it takes FROM images from the local store as they are, without asking a registry.
  DOCKER_BUILDKIT=0 docker build --network host --quiet --build-arg "BASE_IMAGE=$base" \
    --build-arg "DCP_VERSION=$version" --build-arg "DCP_REVISION=$revision" "$@" \
    -f "$dockerfile" -t "$name:$tag" -t "$name:$tag-$version" -t "$name:$tag-$revision" "$context" >/dev/null
  echo "build.sh: $name:$tag ($name:$tag-$version, $name:$tag-$revision) in $(( $(date +%s) - start )) s," \
    "$(docker image inspect --format '{{.Size}}' "$name:$tag" | awk '{printf "%d MB", $1 / 1000000}')"
}

runtime_image() {
  local spark="$1" runtime="$RUNTIMES_DIR/$1" context="$STAGE/$1"
  if [ ! -f "$runtime/app/coreetl.jar" ]; then
    echo "build.sh: $runtime holds no runtime; build it first: mvn -B -DskipTests package" >&2
    exit 1
  fi
  rm -rf "$context"
  mkdir -p "$context/spark/jars" "$context/connectors" "$context/platform/conf"
  # Spark's own jars in one layer; Iceberg and the other connectors in the next.
  for jar in "$runtime"/jars/*.jar; do
    case "$(basename "$jar")" in
      iceberg-*) link "$jar" "$context/connectors/" ;;
      *) link "$jar" "$context/spark/jars/" ;;
    esac
  done
  if [ -d "$runtime/connectors" ]; then
    link "$runtime"/connectors/*.jar "$context/connectors/"
  fi
  cp -r "$runtime/app" "$context/platform/app"
  cp "$runtime/conf/log4j2.properties" "$context/platform/conf/"
  cat "$runtime/conf/spark-defaults.conf" docker/spark-defaults.conf > "$context/platform/conf/spark-defaults.conf"
  cp spark-gateway/src/main/resources/com/doordash/pedregal/gateway/spark-jdk17-flags.txt "$context/platform/jdk17-flags.txt"
  printf 'Spark %s (the platform'"'"'s runtime %s)\nplatform %s, revision %s\n' \
    "$(ls "$runtime"/jars | sed -n 's/^spark-core_[0-9.]*-\(.*\)\.jar$/\1/p')" "$spark" "$version" "$revision" \
    > "$context/platform/RELEASE"
  cp docker/entrypoint.sh "$context/entrypoint.sh"
  build dcp-spark "$spark" "$context" docker/Dockerfile --build-arg "SPARK_VERSION=$spark"
}

server_image() {
  local context="$STAGE/server"
  if [ ! -f dcp-server/target/dcp-server.jar ]; then
    echo "build.sh: dcp-server/target/dcp-server.jar is missing; build it first: mvn -B -DskipTests package" >&2
    exit 1
  fi
  rm -rf "$context"
  mkdir -p "$context/runtimes"
  for runtime in "$RUNTIMES_DIR"/*/; do
    mkdir -p "$context/runtimes/$(basename "$runtime")"
    cp -rl "$runtime"/. "$context/runtimes/$(basename "$runtime")/" 2>/dev/null \
      || cp -r "$runtime"/. "$context/runtimes/$(basename "$runtime")/"
  done
  link dcp-server/target/dcp-server.jar "$context/"
  link dcp-server/jvm.options "$context/"
  # Its class path (the manifest's Class-Path: lib/...).
  mkdir -p "$context/lib"
  link dcp-server/target/lib/*.jar "$context/lib/"
  build dcp-server latest "$context" docker/Dockerfile.server
}

for target in "${targets[@]}"; do
  case "$target" in
    server) server_image ;;
    *)
      if [ ! -d "$RUNTIMES_DIR/$target" ]; then
        echo "build.sh: no Spark runtime $target; the runtimes are: $(ls "$RUNTIMES_DIR" | tr '\n' ' ')and server" >&2
        exit 1
      fi
      runtime_image "$target"
      ;;
  esac
done
