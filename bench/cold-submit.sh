#!/usr/bin/env bash
# Cold path of the embedded default: submit the seed README example job N times, one after another, against a
# running platform (./run.sh), and report submit→RUNNING and submit→SUCCEEDED (median and p95, seconds).
# Usage: bench/cold-submit.sh [runs=10] [base-url=http://localhost:8080] [token=demo-token]
set -euo pipefail
RUNS=${1:-10}; BASE=${2:-http://localhost:8080}; TOKEN=${3:-demo-token}
BODY='{"name":"bench-cold","team":"data-infra","user":"user@doordash.com","config":{"spark_version":"3.5","job_type":"BATCH",
"core_etl":{"version":"2.7.0","job_spec":{"sources":[{"type":"iceberg","catalog":"pedregal","database":"raw","table":"events"}],
"transformations":[{"type":"sql","query":"SELECT * FROM source WHERE event_type = '"'"'order'"'"'"}],
"sinks":[{"type":"iceberg","catalog":"pedregal","database":"derived","table":"bench_orders","mode":"overwrite"}]}},
"resources":{"driver":{"cores":2,"memory":"4g"},"executor":{"instances":5,"cores":4,"memory":"8g"}}}}'
now() { date +%s.%N; }
running=(); done=()
for i in $(seq 1 "$RUNS"); do
  start=$(now)
  id=$(curl -sf -X POST "$BASE/api/v1/jobs" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$BODY" \
       | sed -E 's/.*"job_id":"([^"]+)".*/\1/')
  t_running=""
  while :; do
    state=$(curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/jobs/$id" | grep -o '"status":"[A-Z]*"' | head -1 | cut -d'"' -f4)
    if [ -z "$t_running" ] && { [ "$state" = RUNNING ] || [ "$state" = SUCCEEDED ]; }; then t_running=$(now); fi
    case $state in SUCCEEDED) break;; FAILED|CANCELLED|TIMEOUT) echo "run $i: $state" >&2; exit 1;; esac
    sleep 0.05
  done
  end=$(now)
  running+=("$(echo "$t_running - $start" | bc)"); done+=("$(echo "$end - $start" | bc)")
  printf 'run %2d: RUNNING after %6.2f s, SUCCEEDED after %6.2f s\n' "$i" "${running[-1]}" "${done[-1]}"
done
stats() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; p=a[int(0.95*NR+0.999)]; printf "median %.2f s, p95 %.2f s (n=%d)\n", m, p, NR}'; }
echo "submit -> RUNNING   : $(printf '%s\n' "${running[@]}" | stats)"
echo "submit -> SUCCEEDED : $(printf '%s\n' "${done[@]}" | stats)"
