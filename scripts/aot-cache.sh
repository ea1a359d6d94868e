#!/usr/bin/env bash
# Writes a JDK 25 AOT cache for the sidecar (classes loaded and linked, method profiles) from a
# training run: the jar serves the embedded demo (the binaries beside it), answers a few queries of
# each kind, and stops on SIGTERM, when the JVM writes the cache. The sidecar then starts with
# -XX:AOTCache=FILE about twice as fast, in less memory (README "Deploy"). ./joinery uses
# proxy/target/joinery.aot when it is there; the Dockerfile makes one for the image. The cache fits
# only the JVM build that wrote it and the jar at the same path: another JVM ignores it, with a warning.
# Usage: scripts/aot-cache.sh [jar (proxy/target/joinery.jar)] [cache (beside the jar, joinery.aot)] [java]
set -euo pipefail
jar="${1:-proxy/target/joinery.jar}"
cache="${2:-$(dirname "$jar")/joinery.aot}"
java="${3:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"
gport=18180
aport=18190
defaults="$(sed -n 's/^JVM_DEFAULTS="\(.*\)"$/\1/p' "$(dirname "$0")/../joinery")"

rm -f "$cache"
# shellcheck disable=SC2086 # the defaults are several options
env -u JOINERY_DATABASE_URL JOINERY_GRAPHQL_PORT=$gport JOINERY_ADMIN_PORT=$aport JOINERY_SHUTDOWN_DRAIN_SECONDS=0 \
  "$java" $defaults -XX:AOTCacheOutput="$cache" -jar "$jar" > "$cache.log" 2>&1 &
pid=$!
"$java" "$(dirname "$0")/TrainingClient.java" $gport $aport || { kill $pid; cat "$cache.log" >&2; exit 1; }
kill -TERM $pid
wait $pid
# The JVM leaves the cache's assembly to a child JVM, which may outlive it: wait for its end.
for _ in $(seq 1 600); do
  [ -f "$cache" ] && [ ! -f "$cache.config" ] && break
  sleep 0.1
done
[ -f "$cache" ] || { cat "$cache.log" >&2; echo "no cache written" >&2; exit 1; }
rm -f "$cache.log"
echo "wrote $cache"
