#!/usr/bin/env bash
# Writes a JDK 25+ AOT cache for the sidecar (JEP 483: the classes a start loads, loaded and linked)
# from a training run: the jar serves the embedded demo data (the binaries beside it) on free ports,
# answers a few queries of each kind, and stops on SIGTERM, when the JVM writes the cache. The sidecar
# then starts with -XX:AOTCache=FILE in about half the CPU time (README "Deploy"). `./mvnw package`
# runs it (with JOINERY_AOT_OPTIONAL=1; -Djoinery.aot.skip skips it), ./joinery uses the cache, and
# the Dockerfile makes one for its runtime. A cache fits only the Java runtime that wrote it (another
# ignores it, with a warning) and the options that decide the heap's layout (the GC: ./joinery's
# defaults are used here). No method profiles are recorded (-XX:-AOTRecordTraining): replayed,
# they had the JIT compile for 0.1-0.2 s more before ready, and the cache was 5 MB larger.
# Usage: scripts/aot-cache.sh [jar (proxy/target/joinery.jar)] [cache (beside the jar, joinery.aot)] [java]
#   java: the runtime that will run the jar (default JAVA_HOME's, else the PATH's); the training
#   client runs on JAVA_HOME's (a JDK: it is a source file).
#   JOINERY_AOT_OPTIONAL=1: where no cache can be made (a Java before 25, no embedded PostgreSQL for
#   this machine, a failed run), say why and exit 0: the sidecar runs without (./joinery then uses
#   a CDS archive).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="${1:-proxy/target/joinery.jar}"
cache="${2:-$(dirname "$jar")/joinery.aot}"
java="${3:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"
client_java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
launcher="$here/../joinery"
setting() { sed -n "s/^$1=\"\(.*\)\"$/\1/p" "$launcher"; }
options="$(setting JVM_DEFAULTS) $(setting JVM_DEFAULTS_22) $(setting JVM_AOT) -XX:-AOTRecordTraining"

no_cache() {
  if [ "${JOINERY_AOT_OPTIONAL:-}" = 1 ]; then
    echo "[WARNING] no AOT cache: $1" >&2
    exit 0
  fi
  echo "no AOT cache: $1" >&2
  exit 1
}

rm -f "$cache"
version="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[ "${version%%.*}" -ge 25 ] 2>/dev/null || no_cache "$java is Java ${version:-?}: the AOT cache needs 25 or newer"
[ -f "$(dirname "$jar")/joinery-embedded-postgres.jar" ] || no_cache "the training needs the embedded PostgreSQL beside $jar"
[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || no_cache "the embedded PostgreSQL is for linux x86_64, this is $(uname -s) $(uname -m)"

log="$cache.log"
# shellcheck disable=SC2086 # the options are several
env -u JOINERY_DATABASE_URL -u JOINERY_METADATA -u JOINERY_METADATA_DATABASE_URL -u JOINERY_CONFIG_FILE \
  JOINERY_GRAPHQL_PORT=0 JOINERY_ADMIN_PORT=0 JOINERY_SHUTDOWN_DRAIN_SECONDS=0 \
  "$java" $options -XX:AOTCacheOutput="$cache" -jar "$jar" > "$log" 2>&1 &
pid=$!
if ! "$client_java" "$here/TrainingClient.java" "$log" $pid; then
  kill $pid 2>/dev/null || true
  wait $pid || true
  cat "$log" >&2
  no_cache "the training run failed"
fi
kill -TERM $pid
wait $pid || true
# The JVM leaves the cache's assembly to a child JVM, which may outlive it: wait for its end.
for _ in $(seq 1 3000); do
  [ -f "$cache" ] && [ ! -f "$cache.config" ] && break
  sleep 0.1
done
[ -f "$cache" ] && [ ! -f "$cache.config" ] || { cat "$log" >&2; no_cache "the JVM wrote no cache"; }
rm -f "$log"
echo "wrote $cache"
