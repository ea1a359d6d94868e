# The sidecar's image: docker build -t joinery .
# It runs proxy/target/joinery.jar alone, as a non-root user, on a read-only root file system (an
# emptyDir or tmpfs on /tmp keeps the JVM's perf data). No embedded PostgreSQL: set
# JOINERY_DATABASE_URL. The GraphQL listener stays on loopback, for the application in the same pod;
# docker run -p 8080:8080 needs -e JOINERY_GRAPHQL_HOST=0.0.0.0 (and a non-loopback admin listener
# needs JOINERY_ADMIN_SECRET). JAVA_OPTS go to the JVM after the sidecar's defaults, so they win.
# See README "Deploy". Not built by CI (no Docker there); DockerfileTest checks what it can statically.

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
# The jar (its AOT cache is made below, for the image's runtime: -Djoinery.aot.skip).
RUN ./mvnw -B -q -DskipTests -Djoinery.aot.skip=true -pl proxy -am package
# The runtime: the JDK's modules the jar uses (jdeps --print-module-deps), jdk.naming.dns and
# jdk.crypto.ec, which are found at run time, and jdk.security.auth, which the embedded PostgreSQL of
# the training run needs to run as root here.
RUN jlink --add-modules java.base,java.compiler,java.desktop,java.naming,java.net.http,java.security.jgss,java.sql,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.naming.dns,jdk.security.auth,jdk.unsupported \
      --strip-debug --no-man-pages --no-header-files --output /runtime
# The AOT cache, from a training run on the embedded demo with that runtime (scripts/aot-cache.sh; a
# cache fits only the runtime that wrote it), at the jar's path in the image. Where it cannot be
# made (not linux x86_64) the image starts without it, only slower.
RUN mkdir /app \
 && cp proxy/target/joinery.jar proxy/target/joinery-embedded-postgres.jar /app/ \
 && JOINERY_AOT_OPTIONAL=1 scripts/aot-cache.sh /app/joinery.jar /app/joinery.aot /runtime/bin/java \
 && rm /app/joinery-embedded-postgres.jar

FROM debian:bookworm-slim
COPY --from=build /runtime /opt/java
COPY --from=build /app/ /app/
USER 10001:10001
EXPOSE 8080 9090
# The sidecar's JVM defaults: JVM_DEFAULTS, JVM_DEFAULTS_22 and JVM_AOT of ./joinery (README "Deploy").
ENV JOINERY_JVM_DEFAULTS="-XX:+UseSerialGC -Xms16m -Xmx128m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps -XX:+ExitOnOutOfMemoryError -XX:CompileThresholdScaling=4 -XX:TrimNativeHeapInterval=2000 -XX:+UnlockDiagnosticVMOptions -XX:-AOTAdapterCaching" \
    MALLOC_ARENA_MAX=2
ENTRYPOINT ["sh", "-c", "exec /opt/java/bin/java $JOINERY_JVM_DEFAULTS $(test -f /app/joinery.aot && echo -XX:AOTCache=/app/joinery.aot) $JAVA_OPTS -jar /app/joinery.jar \"$@\"", "joinery"]
