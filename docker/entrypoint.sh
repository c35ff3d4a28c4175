#!/usr/bin/env bash
# The entrypoint of the platform's Spark runtime images: one mode per Spark role. See docker/README.md.
#   connect | submit [args...] | master | worker [master-url] | history | driver [args...] | executor | version
#   | <any command>
set -euo pipefail

SPARK_HOME="${SPARK_HOME:-/opt/spark}"
CLASSPATH_="$SPARK_HOME/conf:$SPARK_HOME/jars/*:$SPARK_HOME/connectors/*"
APP_JAR="$SPARK_HOME/app/coreetl.jar"
CORE_ETL_MAIN="com.doordash.pedregal.coreetl.CoreEtlMain"
CONNECT_SERVER="org.apache.spark.sql.connect.service.SparkConnectServer"

fail() {
  echo "entrypoint: $*" >&2
  exit 64
}

# JVM options every Spark JVM on JDK 17 needs (module opens), then the driver's heap.
jvm_options() {
  mapfile -t JVM_OPTIONS < <(grep -v '^[[:space:]]*$' "$SPARK_HOME/jdk17-flags.txt")
  if [ -n "${SPARK_DRIVER_MEMORY:-}" ]; then
    [[ "$SPARK_DRIVER_MEMORY" =~ ^[0-9]+[mMgG]$ ]] \
      || fail "SPARK_DRIVER_MEMORY=$SPARK_DRIVER_MEMORY: expected a size such as 2048m or 2g"
    JVM_OPTIONS+=("-Xmx$SPARK_DRIVER_MEMORY")
  fi
  if [ -n "${JAVA_OPTS:-}" ]; then
    read -r -a extra <<< "$JAVA_OPTS"
    JVM_OPTIONS+=("${extra[@]}")
  fi
}

# SPARK_CONF_<key> variables become --conf settings: '_' stands for '.', '__' for '_', the case is kept. So
# SPARK_CONF_spark_sql_shuffle_partitions=4 is spark.sql.shuffle.partitions=4, and
# SPARK_CONF_spark_sql_catalog_my__cat=... is spark.sql.catalog.my_cat=...
spark_confs() {
  SPARK_CONFS=()
  while IFS='=' read -r -d '' name value; do
    case "$name" in
      SPARK_CONF_?*)
        key="${name#SPARK_CONF_}"
        key="${key//__/$'\x01'}"
        key="${key//_/.}"
        key="${key//$'\x01'/_}"
        SPARK_CONFS+=(--conf "$key=$value")
        ;;
    esac
  done < <(env -0)
}

# spark-submit, in this JVM: no shell scripts of Spark in the image, only its jars.
spark_submit() {
  jvm_options
  spark_confs
  exec java "${JVM_OPTIONS[@]}" -cp "$CLASSPATH_" org.apache.spark.deploy.SparkSubmit \
    --master "${SPARK_MASTER:-local[*]}" "${SPARK_CONFS[@]}" "$@"
}

# A standalone daemon (master, worker, history server): a plain JVM with the Spark settings as system properties.
spark_daemon() {
  local main="$1"
  shift
  jvm_options
  spark_confs
  local properties=()
  local i
  for ((i = 1; i < ${#SPARK_CONFS[@]}; i += 2)); do
    properties+=("-D${SPARK_CONFS[$i]}")
  done
  exec java "${JVM_OPTIONS[@]}" "${properties[@]}" -cp "$CLASSPATH_" "$main" "$@"
}

# The Spark-on-Kubernetes roles (Spark 4.0's image: spark-kubernetes is in its jars): the pods the Spark Operator (or
# spark-submit --master k8s://) creates run `driver --properties-file <file> --class <main> <jar> [args]` and
# `executor` with SPARK_* variables, as Apache's own images do.
require_kubernetes() {
  compgen -G "$SPARK_HOME/jars/spark-kubernetes_*.jar" >/dev/null \
    || fail "$1: this image (Spark ${SPARK_VERSION:-?}) has no Spark on Kubernetes; use the image of Spark 4.0"
}

# The value of a key in a Java properties file (Spark writes key=value, escaping ':' and '=' in keys only).
property() {
  local file="$1" key="$2"
  sed -n "s/^${key//./\\.}[[:space:]]*[=:][[:space:]]*//p" "$file" | tail -n 1
}

port() {
  local name="$1" value="$2"
  [[ "$value" =~ ^[0-9]+$ ]] && [ "$value" -ge 1 ] && [ "$value" -le 65535 ] \
    || fail "$name=$value: expected a port number from 1 to 65535"
  echo "$value"
}

mode="${1:-connect}"
[ $# -gt 0 ] && shift
case "$mode" in
  connect)
    # The Spark Connect server; a client needs SPARK_CONNECT_TOKEN as its bearer token when it is set.
    if ! compgen -G "$SPARK_HOME/jars/spark-connect_*.jar" >/dev/null \
      && ! compgen -G "$SPARK_HOME/connectors/spark-connect_*.jar" >/dev/null; then
      fail "connect: this image (Spark ${SPARK_VERSION:-?}) has no Spark Connect server; use the image of Spark 4.0"
    fi
    connect_port="$(port SPARK_CONNECT_PORT "${SPARK_CONNECT_PORT:-15002}")"
    if [ -n "${SPARK_CONNECT_TOKEN:-}" ]; then
      export SPARK_CONNECT_AUTHENTICATE_TOKEN="$SPARK_CONNECT_TOKEN"
      unset SPARK_CONNECT_TOKEN
    fi
    spark_submit --name "${SPARK_APP_NAME:-dcp-spark-connect}" --class "$CONNECT_SERVER" \
      --conf "spark.connect.grpc.binding.port=$connect_port" \
      --conf "spark.connect.grpc.binding.address=${SPARK_CONNECT_HOST:-0.0.0.0}" \
      --conf "spark.ui.port=$(port SPARK_UI_PORT "${SPARK_UI_PORT:-4040}")" \
      "$@" spark-internal
    ;;
  submit)
    # spark-submit of a job: the CoreETL app (arguments: --spec <file> or --spec-base64 <base64>) unless the
    # arguments name a --class of their own and its jar.
    if [ $# -eq 0 ]; then
      fail "submit: expected the job's arguments, e.g. submit --spec /data/job.json, or submit --class <main> <jar> [args]"
    fi
    if [[ " $* " == *" --class "* ]]; then
      spark_submit --name "${SPARK_APP_NAME:-dcp-job}" "$@"
    fi
    spark_submit --name "${SPARK_APP_NAME:-dcp-coreetl}" --class "$CORE_ETL_MAIN" "$APP_JAR" "$@"
    ;;
  master)
    spark_daemon org.apache.spark.deploy.master.Master \
      --host "${SPARK_MASTER_HOST:-0.0.0.0}" --port "$(port SPARK_MASTER_PORT "${SPARK_MASTER_PORT:-7077}")" \
      --webui-port "$(port SPARK_MASTER_WEBUI_PORT "${SPARK_MASTER_WEBUI_PORT:-8080}")" "$@"
    ;;
  worker)
    master_url="${1:-${SPARK_MASTER_URL:-}}"
    [ $# -gt 0 ] && shift
    [[ "$master_url" == spark://* ]] || fail "worker: expected the master's URL (spark://host:port) as argument or SPARK_MASTER_URL"
    worker_args=(--webui-port "$(port SPARK_WORKER_WEBUI_PORT "${SPARK_WORKER_WEBUI_PORT:-8081}")")
    [ -n "${SPARK_WORKER_CORES:-}" ] && worker_args+=(--cores "$SPARK_WORKER_CORES")
    [ -n "${SPARK_WORKER_MEMORY:-}" ] && worker_args+=(--memory "$SPARK_WORKER_MEMORY")
    spark_daemon org.apache.spark.deploy.worker.Worker "${worker_args[@]}" "$@" "$master_url"
    ;;
  history)
    export SPARK_CONF_spark_history_fs_logDirectory="${SPARK_HISTORY_LOG_DIR:-file:///data/events}"
    export SPARK_CONF_spark_history_ui_port="$(port SPARK_HISTORY_UI_PORT "${SPARK_HISTORY_UI_PORT:-18080}")"
    spark_daemon org.apache.spark.deploy.history.HistoryServer "$@"
    ;;
  driver)
    # spark-submit in client mode inside the driver pod; spark.master (k8s://...) and the rest come from the properties
    # file, so no --master here. The heap is the file's spark.driver.memory, as Spark's launcher would set it.
    require_kubernetes driver
    properties_file=""
    args=("$@")
    for ((i = 0; i < ${#args[@]}; i++)); do
      [ "${args[$i]}" = "--properties-file" ] && properties_file="${args[$((i + 1))]:-}"
    done
    [ -n "$properties_file" ] && [ -r "$properties_file" ] \
      || fail "driver: expected --properties-file <file> among the arguments (the pod spec Spark on Kubernetes writes)"
    memory="$(property "$properties_file" spark.driver.memory)"
    if [ -n "$memory" ] && [ -z "${SPARK_DRIVER_MEMORY:-}" ]; then
      [[ "$memory" =~ ^[0-9]+$ ]] && memory="${memory}m" # Spark reads a bare number as MiB
      export SPARK_DRIVER_MEMORY="$memory"
    fi
    jvm_options
    # SPARK_CONF_* settings (the platform's credentials from the namespace's Secret among them) go into a private
    # copy of the properties file, never onto the command line, where any process of the pod could read them.
    spark_confs
    private_properties="$(mktemp "${TMPDIR:-/tmp}/dcp-driver-XXXXXX.properties")"
    cat "$properties_file" > "$private_properties"
    for ((i = 1; i < ${#SPARK_CONFS[@]}; i += 2)); do
      setting="${SPARK_CONFS[$i]}"
      value="${setting#*=}"
      value="${value//\\/\\\\}"
      value="${value//$'\n'/\\n}"
      printf '%s=%s\n' "${setting%%=*}" "$value" >> "$private_properties"
    done
    for ((i = 0; i < ${#args[@]}; i++)); do
      [ "${args[$i]}" = "--properties-file" ] && args[$((i + 1))]="$private_properties"
    done
    while read -r name; do unset "$name"; done < <(compgen -e | grep '^SPARK_CONF_' || true)
    bind_address="${SPARK_DRIVER_BIND_ADDRESS:-$(hostname -i 2>/dev/null | cut -d' ' -f1)}"
    exec java "${JVM_OPTIONS[@]}" -cp "$CLASSPATH_" org.apache.spark.deploy.SparkSubmit \
      --deploy-mode client --conf "spark.driver.bindAddress=$bind_address" \
      --conf "spark.executorEnv.SPARK_DRIVER_POD_IP=$bind_address" "${args[@]}"
    ;;
  executor)
    # An executor of a driver on Kubernetes: everything comes from the variables the driver set on the pod.
    require_kubernetes executor
    for name in SPARK_DRIVER_URL SPARK_EXECUTOR_ID SPARK_EXECUTOR_CORES SPARK_APPLICATION_ID SPARK_EXECUTOR_POD_IP \
                SPARK_EXECUTOR_MEMORY SPARK_RESOURCE_PROFILE_ID SPARK_EXECUTOR_POD_NAME; do
      [ -n "${!name:-}" ] || fail "executor: $name is not set (a driver on Kubernetes sets it on its executor pods)"
    done
    [[ "$SPARK_EXECUTOR_MEMORY" =~ ^[0-9]+[mMgGkK]?$ ]] \
      || fail "SPARK_EXECUTOR_MEMORY=$SPARK_EXECUTOR_MEMORY: expected a size such as 2048m or 2g"
    mapfile -t JVM_OPTIONS < <(grep -v '^[[:space:]]*$' "$SPARK_HOME/jdk17-flags.txt")
    # The driver passes the executors' JVM options as SPARK_JAVA_OPT_0, SPARK_JAVA_OPT_1, ... in order.
    mapfile -d '' -t extra < <(
      while IFS='=' read -r -d '' name value; do
        if [[ "$name" =~ ^SPARK_JAVA_OPT_([0-9]+)$ ]]; then printf '%s\t%s\0' "${BASH_REMATCH[1]}" "$value"; fi
      done < <(env -0) | sort -z -n -k1,1 | while IFS=$'\t' read -r -d '' _ value; do printf '%s\0' "$value"; done)
    exec java "${JVM_OPTIONS[@]}" "${extra[@]}" -Xms"$SPARK_EXECUTOR_MEMORY" -Xmx"$SPARK_EXECUTOR_MEMORY" \
      -cp "$CLASSPATH_" org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend \
      --driver-url "$SPARK_DRIVER_URL" --executor-id "$SPARK_EXECUTOR_ID" --cores "$SPARK_EXECUTOR_CORES" \
      --app-id "$SPARK_APPLICATION_ID" --hostname "$SPARK_EXECUTOR_POD_IP" \
      --resourceProfileId "$SPARK_RESOURCE_PROFILE_ID" --podName "$SPARK_EXECUTOR_POD_NAME"
    ;;
  version)
    cat "$SPARK_HOME/RELEASE"
    ;;
  *)
    # Any other command runs as it is (bash, java ...); an unknown word is most likely a mistyped mode.
    command -v "$mode" >/dev/null 2>&1 \
      || fail "unknown mode $mode: expected connect, submit, master, worker, history, driver, executor, version or a command (see docker/README.md)"
    exec "$mode" "$@"
    ;;
esac
