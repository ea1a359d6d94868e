#!/usr/bin/env bash
# Two sidecars side by side on the benchmark database, measured in alternating rounds, so that the
# machine's drift (which moves one run's rate by 10-25% within minutes) falls on both alike: for an
# A/B of a change, where compare.sh's runs an hour apart cannot tell a few percent from the hour.
# Each round runs every workload on A and on B (the order of the two turning from round to round),
# wrk at 16 connections as compare.sh, and prints per run the rate, p50, p99 and the sidecar's own
# CPU per request (its process's user + system time over the run, divided by the requests) and
# Postgres' (all its processes'); then the
# medians of each, and in how many rounds B's rate was higher and its CPU per request lower.
# Usage: scripts/side-by-side.sh A.jar B.jar [rounds (8)] [seconds per run (6)]
# Env: QUERIES ("q1 q2": compare.sh's bodies, q1-hasura.json ...), WARM (10 s of each query first),
#      CONNS (16), A_OPTS and B_OPTS (JVM options of each sidecar), A_ENV and B_ENV (settings of each,
#      e.g. B_ENV="JOINERY_FLAT_ROWS=all"), JAVA_HOME.
# Needs ../shared/bench/peers set up (setup.sh, setup-db.sh). Ports apart from compare.sh's and
# q3-one-client.sh's: A 18280/19280, B 18281/19281.
# shellcheck source=/dev/null
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ $# -ge 2 ] || { sed -n '2,14p' "$0" >&2; exit 2; }
jar_a="$1" jar_b="$2"
rounds="${3:-8}"
secs="${4:-6}"
peers="${PEERS_DIR:-$here/../../shared/bench/peers}"
source "$peers/env.sh"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
queries="${QUERIES:-q1 q2}"
work="$(mktemp -d)"
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

start() { # name jar opts gql-port admin-port settings
  # shellcheck disable=SC2086 # the options and settings are words
  env $6 JOINERY_DATABASE_URL="$DATABASE_URL" JOINERY_ADMIN_SECRET=s JOINERY_GRAPHQL_PORT=$4 JOINERY_ADMIN_PORT=$5 \
    "$java" $3 -jar "$2" >"$work/$1.log" 2>&1 &
  pids+=($!)
  echo $! >"$work/$1.pid"
}
start A "$jar_a" "${A_OPTS:-}" 18280 19280 "${A_ENV:-}"
start B "$jar_b" "${B_OPTS:-}" 18281 19281 "${B_ENV:-}"
sed "s#DATABASE_URL_PLACEHOLDER#$DATABASE_URL#g" "$BENCH/fixtures/bench-hasura-metadata.json" >"$work/metadata.json"
for side in A B; do
  admin=$([ $side = A ] && echo 19280 || echo 19281)
  for _ in $(seq 240); do curl -sf -o /dev/null "http://127.0.0.1:$admin/health/ready" && break; sleep 0.25; done
  curl -sf -o /dev/null "http://127.0.0.1:$admin/health/ready" || { tail -20 "$work/$side.log" >&2; die "sidecar $side is not ready"; }
  curl -sf -o /dev/null -X POST -H 'X-Joinery-Admin-Secret: s' -H 'Content-Type: application/json' \
    --data-binary @"$work/metadata.json" "http://127.0.0.1:$admin/admin/v1/metadata/import/hasura" || die "the import into $side failed"
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$(cat "$work/$1.pid")/stat"; }
# Postgres' CPU: every process named postgres (the backends of both sidecars, only one of which is loaded at a time)
pg_ticks() { pgrep -x postgres | sed 's#.*#/proc/&/stat#' | xargs cat 2>/dev/null | awk '{ t += $14 + $15 } END { print t + 0 }'; }
ticks_per_second=$(getconf CLK_TCK)
measure() { # side query seconds: "rate p50 p99 cpu_us_per_request"
  local port before after summary
  port=$([ "$1" = A ] && echo 18280 || echo 18281)
  before=$(cpu_ticks "$1") pg_before=$(pg_ticks)
  summary=$(GQL_FILE="$BENCH/$2-hasura.json" GQL_HEADERS='X-Joinery-Admin-Secret: s' wrk -t2 -c"${CONNS:-16}" -d"$3"s \
    -s "$BENCH/graphql-post.lua" "http://127.0.0.1:$port/v1/graphql" | grep '^SUMMARY ')
  after=$(cpu_ticks "$1") pg_after=$(pg_ticks)
  echo "$summary" | grep -q ' bad_responses=0 ' || die "sidecar $1, $2: bad responses: $summary"
  echo "$summary" | awk -v t=$((after - before)) -v pg=$((pg_after - pg_before)) -v hz="$ticks_per_second" '{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "%s %s %s %.1f %.1f\n", v["rps"], v["p50_ms"], v["p99_ms"], t / hz * 1e6 / v["requests"], pg / hz * 1e6 / v["requests"] }'
}
log "warming both up: ${WARM:-10} s of each of $queries"
for q in $queries; do for side in A B; do measure $side "$q" "${WARM:-10}" >/dev/null; done; done
log "$rounds rounds of ${secs}-s runs, A and B in turn"
for round in $(seq "$rounds"); do
  order="A B"; [ $((round % 2)) = 0 ] && order="B A"
  for q in $queries; do
    for side in $order; do
      read -r rate p50 p99 cpu pg <<<"$(measure $side "$q" "$secs")"
      printf 'round %d %s %s: %9.1f req/s  p50 %7.2f  p99 %7.2f ms  p99/p50 %5.2f  CPU %7.1f  Postgres %7.1f us/request\n' \
        "$round" "$q" "$side" "$rate" "$p50" "$p99" "$(awk -v a="$p99" -v b="$p50" 'BEGIN{print a / b}')" "$cpu" "$pg"
      echo "$round $q $side $rate $p50 $p99 $cpu $pg" >>"$work/runs"
    done
  done
done
awk '
  function median(a, n,   i, j, x) { for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j > 0 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { k = $2 " " $3; n[k]++; rate[k, n[k]] = $4; ratio[k, n[k]] = $6 / $5; cpu[k, n[k]] = $7; pgc[k, n[k]] = $8; r[$1, $2, $3, "rate"] = $4; r[$1, $2, $3, "cpu"] = $7
    qs[$2] = 1; rounds = $1 > rounds ? $1 : rounds }
  END {
    for (q in qs) for (s = 0; s < 2; s++) { side = s ? "B" : "A"; k = q " " side; delete a; delete b; delete c; delete d
      for (i = 1; i <= n[k]; i++) { a[i] = rate[k, i]; b[i] = ratio[k, i]; c[i] = cpu[k, i]; d[i] = pgc[k, i] }
      printf "medians %s %s: %9.1f req/s  p99/p50 %5.2f  CPU %7.1f  Postgres %7.1f us/request\n", q, side, median(a, n[k]), median(b, n[k]), median(c, n[k]), median(d, n[k]) }
    for (q in qs) { faster = 0; cheaper = 0
      for (i = 1; i <= rounds; i++) { faster += r[i, q, "B", "rate"] > r[i, q, "A", "rate"]; cheaper += r[i, q, "B", "cpu"] < r[i, q, "A", "cpu"] }
      printf "%s: B faster in %d rounds of %d, B cheaper per request in %d of %d\n", q, faster, rounds, cheaper, rounds }
  }' "$work/runs"
