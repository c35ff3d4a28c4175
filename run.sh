#!/usr/bin/env bash
# Builds what is missing or out of date, then starts the platform on the embedded default in the
# foreground: REST on http://localhost:8080, an H2 job store, an Iceberg warehouse and job logs under ./data.
# Extra arguments are configuration overrides, e.g. ./run.sh --server.port=9090
set -euo pipefail
cd "$(dirname "$0")"

# Spark runs on JDK 17 (JDK 21+ breaks Hadoop); prefer it when several JDKs are installed.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if [ "$(java_major "$JAVA_BIN")" != "17" ]; then
  for candidate in /usr/lib/jvm/*17*/bin/java; do
    if [ -x "$candidate" ]; then JAVA_BIN="$candidate"; export JAVA_HOME="${candidate%/bin/java}"; break; fi
  done
fi
if [ "$(java_major "$JAVA_BIN")" != "17" ]; then
  echo "run.sh: JDK 17 is required (found: $("$JAVA_BIN" -version 2>&1 | head -n 1))" >&2
  exit 1
fi

JAR=dcp-server/target/dcp-server.jar
APP=spark-dist/target/runtimes/3.5/app/coreetl.jar
APP40=spark-dist/target/runtimes/4.0/app/coreetl.jar
PRETZEL=pretzel-cli/target/pretzel.jar
stale() {
  [ ! -f "$JAR" ] || [ ! -f "$APP" ] || [ ! -f "$APP40" ] || [ ! -f "$PRETZEL" ] && return 0
  [ -n "$(find . -path ./data -prune -o \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$JAR" -print -quit)" ]
}
if stale; then
  echo "run.sh: building the platform (the first build downloads Spark and Iceberg from Maven Central)..."
  mvn -B -ntp -DskipTests package
  touch "$JAR"
fi

exec "$JAVA_BIN" @dcp-server/jvm.options -jar "$JAR" "$@"
