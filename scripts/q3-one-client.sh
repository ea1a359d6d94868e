#!/usr/bin/env bash
# What the sidecar itself adds to Q3 (compare.sh's 50-row remote join) at one connection: short runs,
# taken in turns so that the machine's drift falls on all of them alike, of
#   T  Q3 through the sidecar (wrk, one connection; p50),
#   S  the same query without the remote field (p50): the sidecar and its statement,
#   R  the remote alone, sent the document the sidecar sends it for Q3, after a pause as long as it
#      idles behind the sidecar ($GAP_MS, default 1 ms; a remote woken from idle answers slower)
#      (one-client/remote-alone.lua; p50),
#   Q  the statement alone, as the sidecar binds it (pgbench, prepared; the mean, its distribution
#      is narrow) (one-client/statement.sql),
# and prints, per round and as medians: the sidecar's own part T - R - Q, and its two parts, S - Q
# (a request and its statement's hand-over) and T - S - R (the join's hop: the document, the HTTP
# call, parsing the answer, stitching it, and the threads' hand-overs on the way).
# R and Q come from other clients than the sidecar, so T - R - Q also counts what the remote and
# Postgres do differently for the sidecar (and wrk's own overhead). A fifth run, W, reads the
# sidecar's own part off the wire instead: T again under tcpdump, each request's time inside the
# sidecar less its statement's and its remote call's times on the wire (one-client/on-the-wire.awk;
# needs tcpdump and root: without them the rounds have four runs and say so).
# Usage: scripts/q3-one-client.sh [jar (proxy/target/joinery.jar)] [rounds (8)] [seconds per run (2)]
# Needs ../shared/bench/peers set up (its setup.sh and setup-db.sh: wrk, Node, the bench database);
# runs its own sidecar and profiles remote on ports apart from compare.sh's (GQL_PORT 18180,
# ADMIN_PORT 19190, PROFILES_PORT 4390). JAVA_HOME picks the Java, JAVA_OPTS go to the sidecar, WARM
# (150 s) is the warm-up at 16 connections before the rounds.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="${1:-$here/../proxy/target/joinery.jar}"
rounds="${2:-8}"
secs="${3:-2}"
peers="${PEERS_DIR:-$here/../../shared/bench/peers}"
# shellcheck source=/dev/null
source "$peers/env.sh"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
gql="${GQL_PORT:-18180}" admin="${ADMIN_PORT:-19190}" remote="${PROFILES_PORT:-4390}"
work="$(mktemp -d)"
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

PORT=$remote NODE_PATH="$PEERS/profiles-remote/node_modules" node "$BENCH/remote/profiles-server.js" >"$work/remote.log" 2>&1 &
pids+=($!)
JOINERY_DATABASE_URL="$DATABASE_URL" JOINERY_ADMIN_SECRET=s JOINERY_GRAPHQL_PORT=$gql JOINERY_ADMIN_PORT=$admin \
  "$java" ${JAVA_OPTS:-} -jar "$jar" >"$work/sidecar.log" 2>&1 &
pids+=($!)
for _ in $(seq 240); do curl -sf -o /dev/null "http://127.0.0.1:$admin/health/ready" && break; sleep 0.25; done
curl -sf -o /dev/null "http://127.0.0.1:$admin/health/ready" || { tail -20 "$work/sidecar.log" >&2; die "the sidecar is not ready"; }
wait_http "http://127.0.0.1:$remote/stats" 100 || die "the profiles remote did not start"
for f in bench-hasura-metadata.json remote-hasura-metadata.json; do
  sed "s#DATABASE_URL_PLACEHOLDER#$DATABASE_URL#g" "$BENCH/fixtures/$f" \
    | jq --arg u "http://127.0.0.1:$remote/graphql" 'if .remote_schemas then .remote_schemas |= map(.definition.url = $u) else . end' >"$work/$f"
  curl -sf -o /dev/null -X POST -H 'X-Joinery-Admin-Secret: s' -H 'Content-Type: application/json' \
    --data-binary @"$work/$f" "http://127.0.0.1:$admin/admin/v1/metadata/import/hasura" || die "the import of $f failed"
done
sed 's/ profile { authorId bio followers }//' "$BENCH/q3-hasura.json" >"$work/q3-no-remote.json"

graphql() { # body-file seconds connections threads: p50 in ms
  GQL_FILE=$1 GQL_HEADERS='X-Joinery-Admin-Secret: s' wrk -t"$4" -c"$3" -d"$2"s -s "$BENCH/graphql-post.lua" \
    "http://127.0.0.1:$gql/v1/graphql" | sed -n 's/.*p50_ms=\([0-9.]*\).*bad_responses=0 .*/\1/p'
}
# WARM: after 30 s of this, the JIT's C2 thread still took a sixth of a core through the rounds at
# one connection (perf sched), its compilations delaying the request's threads; after 150 s, none.
log "warming the sidecar up: ${WARM:-150} s of Q3 at 16 connections"
graphql "$BENCH/q3-hasura.json" "${WARM:-150}" 16 2 >/dev/null
wire=""
if [ "$(id -u)" = 0 ] && command -v tcpdump >/dev/null; then
  wire=W
else
  log "no tcpdump, or not root: the rounds go without the on-the-wire run (W)"
fi
run() { # T, R, S, Q or W
  case $1 in
    T) graphql "$BENCH/q3-hasura.json" "$secs" 1 1 ;;
    R) GAP_MS=${GAP_MS:-1} wrk -t1 -c1 -d"$secs"s -s "$here/one-client/remote-alone.lua" "http://127.0.0.1:$remote/graphql" \
         | sed -n 's/^p50_ms=\([0-9.]*\) .* errors=0$/\1/p' ;;
    S) graphql "$work/q3-no-remote.json" "$secs" 1 1 ;;
    Q) pgbench -n -M prepared -c1 -T"$secs" -f "$here/one-client/statement.sql" 2>/dev/null | sed -n 's/^latency average = \([0-9.]*\) ms$/\1/p' ;;
    W) tcpdump -i lo -nn -tt -l -B 16384 "tcp[tcpflags] & tcp-push != 0 and (tcp port $gql or tcp port $PGPORT or tcp port $remote)" \
         >"$work/wire.txt" 2>"$work/wire.log" &
       local dump=$! _
       for _ in $(seq 50); do grep -q listening "$work/wire.log" && break; sleep 0.1; done
       graphql "$BENCH/q3-hasura.json" "$secs" 1 1 >/dev/null
       kill "$dump"; wait "$dump" || true
       awk -v GQL="$gql" -v PG="$PGPORT" -v REMOTE="$remote" -f "$here/one-client/on-the-wire.awk" "$work/wire.txt" ;;
  esac
}
# The order of the runs turns from round to round: a run measured second after another differs
# from it by a few tenths of a millisecond at times, whatever the two are.
if [ -n "$wire" ]; then
  orders=("T R S Q W" "R S Q W T" "S Q W T R" "Q W T R S" "W T R S Q")
else
  orders=("T R S Q" "R S Q T" "S Q T R" "Q T R S")
fi
log "$rounds rounds of $(wc -w <<<"${orders[0]}") $secs-s runs each at one connection"
for round in $(seq "$rounds"); do
  t="" r="" s="" q="" w=""
  for what in ${orders[$(( (round - 1) % ${#orders[@]} ))]}; do
    case $what in T) t=$(run T) ;; R) r=$(run R) ;; S) s=$(run S) ;; Q) q=$(run Q) ;; W) w=$(run W) ;; esac
  done
  [ -n "$t" ] && [ -n "$r" ] && [ -n "$s" ] && [ -n "$q" ] || die "round $round: a run failed (T=$t R=$r S=$s Q=$q)"
  [ -z "$wire" ] || [ "${w%% *}" -gt 0 ] 2>/dev/null || die "round $round: the on-the-wire run saw no whole request (W=$w)"
  echo "$t $r $s $q ${w:-0}" >>"$work/rounds"
done
awk '
  function median(a, n,   i, j, x) { for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j > 0 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  function range(a, n,   i, lo, hi) { lo = hi = a[1]; for (i = 2; i <= n; i++) { if (a[i] < lo) lo = a[i]; if (a[i] > hi) hi = a[i] }
    return sprintf("rounds %.2f to %.2f", lo, hi) }
  { n++; T[n] = $1; R[n] = $2; S[n] = $3; Q[n] = $4; own[n] = $1 - $2 - $4; base[n] = $3 - $4; hop[n] = $1 - $3 - $2
    printf "round %d: T %.2f  R %.2f  S %.2f  Q %.3f  ms -> the sidecar'"'"'s own %.2f (S - Q %.2f, T - S - R %.2f)\n", n, $1, $2, $3, $4, own[n], base[n], hop[n]
    if ($5 > 0) { w++; Wown[w] = $6; Win[w] = $7; Wpg[w] = $8; Wrem[w] = $9; Wh1[w] = $10; Wh2[w] = $11; Wh3[w] = $12
      printf "         on the wire (%d requests): inside the sidecar %.2f, Postgres %.3f, the remote %.2f ms -> the sidecar'"'"'s own %.2f (hops %.2f, %.2f, %.2f)\n", $5, $7, $8, $9, $6, $10, $11, $12 } }
  END {
    printf "medians of %d rounds: T %.2f  R %.2f  S %.2f  Q %.3f ms\n", n, median(T, n), median(R, n), median(S, n), median(Q, n)
    printf "the sidecar'"'"'s own part of Q3 at one connection, T - R - Q: %.2f ms (%s); S - Q %.2f, T - S - R %.2f\n", median(own, n), range(own, n), median(base, n), median(hop, n)
    if (w > 0) printf "on the wire, the sidecar'"'"'s own part: %.2f ms (%s); inside the sidecar %.2f, Postgres %.3f, the remote %.2f; hops: request to statement %.2f, answer to call %.2f, the remote'"'"'s answer to response %.2f\n", median(Wown, w), range(Wown, w), median(Win, w), median(Wpg, w), median(Wrem, w), median(Wh1, w), median(Wh2, w), median(Wh3, w) }
' "$work/rounds"
