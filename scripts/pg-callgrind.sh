#!/usr/bin/env bash
# Instructions Postgres spends per execution of a statement, as README "Benchmarks" (issue 17) reports
# them: counted by valgrind's callgrind in the backend that serves one pgbench connection, which runs
# the statement as the sidecar's driver does (a named prepared statement, bound at each run:
# pgbench -M prepared). A count does not move with the machine's load as times do.
#   - a private cluster (initdb under $PGCG_DIR, the bench dataset loaded, VACUUM ANALYZE) is made
#     once and reused; its postmaster runs under callgrind (--trace-children=yes, autovacuum off) while
#     the scripts are measured, then stops;
#   - each pgbench script is run 10 and 110 times, each in a fresh connection; the figure is the
#     difference of the two backends' totals / 100: start-up, the first plans and the catalog caches'
#     filling are subtracted;
#   - the profiles stay in $PGCG_DIR/profiles (NAME.10, NAME.110) for callgrind_annotate.
#   - a JAR in place of a script measures a sidecar instead: it starts the jar on the cluster with one
#     connection (JOINERY_POOL_SIZE=1), imports the peers' bench metadata and posts the GraphQL request of
#     PGCG_REQUEST (the peers' Q2) 10 and 110 times, each in a sidecar of its own; the figure is the
#     difference of the largest backend's totals (the one its reads ran on) / 100, per request;
# Usage: scripts/pg-callgrind.sh SCRIPT.sql|JAR ...   (pgbench scripts: scripts/callgrind/q2-joinery.sql,
#        ../shared/bench/peers/q2-postgraphile.sql; a jar: proxy/target/joinery.jar)
# Env: PGCG_DIR (/tmp/pgcg-run)  PGCG_PORT (5498)  PGCG_DATASET (../shared/bench/dataset.sql)
#      PGCG_REQUEST (../shared/bench/peers/q2-hasura.json)  JAVA (java of JAVA_HOME, else the PATH's)
#      PGBIN (/usr/lib/postgresql/15/bin)  PGOPTIONS (settings of the measured backend, e.g.
#      "-c plan_cache_mode=force_generic_plan")  PGCG_MODE (prepared; "extended": unnamed, planned each run)
# Needs valgrind, pgbench and psql; run as root (the cluster belongs to user postgres) or as postgres.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${PGCG_DIR:-/tmp/pgcg-run}"
port="${PGCG_PORT:-5498}"
dataset="$(readlink -f "${PGCG_DATASET:-../shared/bench/dataset.sql}")"
bin="${PGBIN:-/usr/lib/postgresql/15/bin}"
mode="${PGCG_MODE:-prepared}"
[ $# -gt 0 ] || { sed -n '2,/^set -e/p' "$0" | sed '$d'; exit 1; }
as_pg() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }
psql_() { psql -X -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
mkdir -p "$dir/cg" "$dir/profiles"
[ "$(id -un)" = postgres ] || chown -R postgres "$dir"
if [ ! -f "$dir/data/PG_VERSION" ]; then
  as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log"
  printf 'port = %s\nlisten_addresses = %s\nunix_socket_directories = %s\n' "$port" "'127.0.0.1'" "'$dir'" >>"$dir/data/postgresql.conf"
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/load.log" -w start >/dev/null
  psql_ -f "$dataset" 2>/dev/null
  psql_ -c "VACUUM ANALYZE"
  as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  echo "autovacuum = off" >>"$dir/data/postgresql.conf"
fi
as_pg bash -c "cd '$dir/cg' && exec valgrind --tool=callgrind --trace-children=yes --callgrind-out-file='$dir/cg/callgrind.out.%p' \
  '$bin/postgres' -D '$dir/data' >'$dir/valgrind.log' 2>&1" &
trap 'as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true' EXIT
for _ in $(seq 120); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
pg_isready -q -h 127.0.0.1 -p "$port" || { echo "the postmaster under callgrind did not start: $dir/valgrind.log" >&2; exit 1; }
psql_ -c "SELECT count(*) FROM bench.author" >/dev/null   # the first backend after a start rebuilds the relation cache's init files
sleep 2   # and writes its profile as it exits: not to be taken for the first measured one
sidecar() { # jar requests: a sidecar on the cluster answers the request that many times, then stops (its backends exit)
  local url="postgres://postgres@127.0.0.1:$port/postgres" gql=48980 admin=48981 pid i
  local java="${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"
  JOINERY_DATABASE_URL="$url" JOINERY_ADMIN_SECRET=pgcg JOINERY_GRAPHQL_PORT=$gql JOINERY_ADMIN_PORT=$admin JOINERY_POOL_SIZE=1 \
    "$java" -jar "$1" >"$dir/sidecar.log" 2>&1 &
  pid=$!
  for i in $(seq 600); do
    curl -sf -o /dev/null "http://127.0.0.1:$admin/health/ready" && break
    kill -0 $pid 2>/dev/null || { echo "the sidecar stopped before it was ready (a Java older than 21?): $dir/sidecar.log" >&2; tail -3 "$dir/sidecar.log" >&2; exit 1; }
    sleep 0.5
  done
  sed "s#DATABASE_URL_PLACEHOLDER#$url#g" ../shared/bench/peers/fixtures/bench-hasura-metadata.json \
    | curl -sf -m 300 -o /dev/null -X POST -H 'X-Joinery-Admin-Secret: pgcg' -H 'Content-Type: application/json' --data-binary @- \
      "http://127.0.0.1:$admin/admin/v1/metadata/import/hasura" || { echo "the sidecar did not take the metadata: $dir/sidecar.log" >&2; kill $pid; exit 1; }
  for i in $(seq "$2"); do
    curl -sf -m 120 -o /dev/null -H 'X-Joinery-Admin-Secret: pgcg' -H 'Content-Type: application/json' \
      --data-binary @"${PGCG_REQUEST:-../shared/bench/peers/q2-hasura.json}" "http://127.0.0.1:$gql/v1/graphql"
  done
  kill $pid; wait $pid 2>/dev/null || true
  sleep 2
}
run() { # script runs -> the Ir of the backend that ran them (the largest new profile), kept as profiles/NAME.runs
  local before best=0 file= f ir
  before=$(ls "$dir/cg")
  case "$1" in
    *.jar) sidecar "$1" "$2" ;;
    *) pgbench -n -h 127.0.0.1 -p "$port" -U postgres -M "$mode" -c 1 -t "$2" -f "$1" postgres >/dev/null ;;
  esac
  sleep 1   # the backend writes its profile as it exits
  for f in $(comm -13 <(echo "$before") <(ls "$dir/cg")); do
    ir=$(grep -m1 '^summary:' "$dir/cg/$f" | awk '{print $2}')
    if [ "${ir:-0}" -gt "$best" ]; then best=$ir; file=$f; fi
  done
  mv "$dir/cg/$file" "$dir/profiles/$(basename "$1" .sql).$2"
  echo "$best"
}
for script in "$@"; do
  a=$(run "$script" 10); b=$(run "$script" 110)
  case "$script" in
    *.jar) how="a sidecar, one connection" unit="request" ;;
    *) how="-M $mode${PGOPTIONS:+, $PGOPTIONS}" unit="execution" ;;
  esac
  awk -v s="$(basename "$script" .sql)" -v h="$how" -v u="$unit" -v a="$a" -v b="$b" \
    'BEGIN { printf "%s (%s): %.3f M instructions per %s (10 runs %d, 110 runs %d)\n", s, h, (b - a) / 100 / 1e6, u, a, b }'
done
