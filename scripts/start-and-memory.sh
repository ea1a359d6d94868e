#!/usr/bin/env bash
# Start and memory of the sidecar, as README "Deploy" reports them:
#   - start to ready: from the JVM's launch to the first 200 of /health/ready, over a 10-table
#     metadata file on an external Postgres; and the CPU time the process used until then (user +
#     system, all its threads: the JIT's too), which does not grow with the machine's load as the
#     wall time does;
#   - idle RSS: 5 s after ready;
#   - RSS after 10,000 mixed queries (six shapes: flat, nested, filtered, aggregate, by primary key,
#     relationship; every request asks for other keys), sent by 4 concurrent clients, as the last
#     answer came; and 5 s later, once the JIT compilers' working memory (freed as each compilation
#     ends) went back to the system (-XX:TrimNativeHeapInterval, every 2 s): what the sidecar holds.
# Usage: scripts/start-and-memory.sh [runs] ["JVM options" ...]
#   JOINERY_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server;
#   a database joinery_startmem_<random> is created and dropped. Each quoted JVM option set is
#   measured as a variant ("" is the JVM's own defaults); without any: the JVM's own, and what
#   ./joinery runs (./joinery --jvm-options: the sidecar's defaults and, on Java 25+, the AOT cache
#   the build wrote). The variants take turns, run by run. The java is the one ./joinery picks.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
shift || true
variants=("$@")
read -r java launcher_options < <(./joinery --jvm-options)
if [ ${#variants[@]} -eq 0 ]; then
  variants=("" "$launcher_options")
fi
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"   # as ./joinery and the image set it
server="${JOINERY_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
jar=proxy/target/joinery.jar
[ -f "$jar" ] || { echo "build the jar first: ./mvnw -B -q -DskipTests package" >&2; exit 1; }

db="joinery_startmem_$RANDOM$RANDOM"
work="$(mktemp -d)"
trap 'psql "$server" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; rm -rf "$work"' EXIT
psql "$server" -qc "CREATE DATABASE $db" >/dev/null
url="${server%/*}/$db"

{
  echo "CREATE TABLE author (id int PRIMARY KEY, name text NOT NULL);"
  echo "INSERT INTO author SELECT i, 'author ' || i FROM generate_series(1, 2000) i;"
  echo "CREATE TABLE article (id int PRIMARY KEY, author_id int NOT NULL REFERENCES author, title text, views int);"
  echo "INSERT INTO article SELECT i, 1 + i % 2000, 'article ' || i, i % 997 FROM generate_series(1, 20000) i;"
  echo "CREATE TABLE comment (id int PRIMARY KEY, article_id int NOT NULL REFERENCES article, body text);"
  echo "INSERT INTO comment SELECT i, 1 + i % 20000, 'comment ' || i FROM generate_series(1, 40000) i;"
  for t in 4 5 6 7 8 9 10; do
    echo "CREATE TABLE extra_$t (id int PRIMARY KEY, author_id int REFERENCES author, label text, amount numeric, created_at timestamptz DEFAULT now());"
    echo "INSERT INTO extra_$t SELECT i, 1 + i % 2000, 'label ' || i, i * 1.5 FROM generate_series(1, 1000) i;"
  done
} | psql "$url" -q >/dev/null

{
  echo "version: 1"
  echo "sources:"
  echo "  - name: default"
  echo "    tables:"
  echo "      - table: author"
  echo "        relationships:"
  echo "          articles: { array: article, on: { id: author_id } }"
  echo "      - table: article"
  echo "        relationships:"
  echo "          author: { object: author, on: { author_id: id } }"
  echo "          comments: { array: comment, on: { id: article_id } }"
  echo "      - table: comment"
  for t in 4 5 6 7 8 9 10; do
    echo "      - table: extra_$t"
    echo "        relationships:"
    echo "          author: { object: author, on: { author_id: id } }"
  done
} > "$work/metadata.yaml"

cat > "$work/Load.java" <<'JAVA'
import java.net.URI;
import java.net.http.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;

/** Sends N GraphQL requests of six shapes with varying keys, C at a time; fails on any error answer. */
public class Load {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int total = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        String[] shapes = {
            "{ author(where: {id: {_gt: %d}}, order_by: {id: asc}, limit: 20) { id name } }",
            "{ author(where: {id: {_gt: %d}}, order_by: {id: asc}, limit: 5) { name articles(limit: 3, order_by: {id: asc}) { title comments(limit: 2) { body } } } }",
            "{ article(where: {_and: [{views: {_gte: %d}}, {title: {_like: \\\"article 1%%\\\"}}]}, limit: 10) { id title author { name } } }",
            "{ article_aggregate(where: {author_id: {_eq: %d}}) { aggregate { count max { views } } } }",
            "{ author_by_pk(id: %d) { name } }",
            "{ extra_7(where: {author_id: {_eq: %d}}) { label amount author { name } } }"};
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    String query = String.format(shapes[i % shapes.length], 1 + (i * 7919) % 1990);
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"" + query + "\"}")).build();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200 || response.body().contains("\"errors\"")) {
                            if (failed.incrementAndGet() < 3) System.err.println(query + " -> " + response.body());
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        if (failed.get() > 0) { System.err.println(failed.get() + " failed"); System.exit(1); }
    }
}
JAVA

cpu_ms() { awk -v tck="$(getconf CLK_TCK)" '{printf "%.0f", ($14 + $15) * 1000 / tck}' "/proc/$1/stat"; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-60s %6s %10s %8s %9s %12s %12s %8s\n' "JVM options" "run" "ready ms" "CPU ms" "idle MB" "10k MB" "5 s later" "10k s"
for run in $(seq 1 "$runs"); do
  for options in "${variants[@]}"; do
    gport=$(port); aport=$(port)
    start=$(date +%s%N)
    # shellcheck disable=SC2086 # options are several words
    env -u JOINERY_TEST_DATABASE_URL JOINERY_DATABASE_URL="$url" JOINERY_METADATA="$work/metadata.yaml" \
      JOINERY_GRAPHQL_PORT="$gport" JOINERY_ADMIN_PORT="$aport" JOINERY_SHUTDOWN_DRAIN_SECONDS=0 \
      "$java" $options -jar "$jar" > "$work/sidecar.log" 2>&1 &
    pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$aport/health/ready"; do
      kill -0 $pid 2>/dev/null || { cat "$work/sidecar.log" >&2; exit 1; }
      sleep 0.01
    done
    ready=$(( ($(date +%s%N) - start) / 1000000 ))
    cpu=$(cpu_ms $pid)
    sleep 5
    idle=$(rss_mb $pid)
    load_start=$(date +%s%N)
    "$java" "$work/Load.java" "http://127.0.0.1:$gport/v1/graphql" 10000 4
    load_s=$(awk -v ns=$(( $(date +%s%N) - load_start )) 'BEGIN {printf "%.1f", ns / 1e9}')
    loaded=$(rss_mb $pid)
    sleep 5
    held=$(rss_mb $pid)
    kill -TERM $pid; wait $pid || true
    printf '%-60s %6s %10s %8s %9s %12s %12s %8s\n' "${options:-(JVM defaults)}" "$run" "$ready" "$cpu" "$idle" "$loaded" "$held" "$load_s"
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
