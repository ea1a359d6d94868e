# The sidecar's image: docker build -t joinery .
# It runs proxy/target/joinery.jar alone, as a non-root user, on a read-only root file system (an
# emptyDir or tmpfs on /tmp keeps the JVM's perf data). No embedded PostgreSQL: set
# JOINERY_DATABASE_URL. The GraphQL listener stays on loopback, for the application in the same pod;
# docker run -p 8080:8080 needs -e JOINERY_GRAPHQL_HOST=0.0.0.0 (and a non-loopback admin listener
# needs JOINERY_ADMIN_SECRET). JAVA_OPTS go to the JVM after the sidecar's defaults, so they win.
# See README "Deploy".

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
# The jar, and an AOT cache from a training run on the embedded demo (scripts/aot-cache.sh), made
# at the path the jar has in the image: the cache fits only that jar there.
RUN ./mvnw -B -q -DskipTests -pl proxy -am package \
 && mkdir /app \
 && cp proxy/target/joinery.jar proxy/target/joinery-embedded-postgres.jar /app/ \
 && scripts/aot-cache.sh /app/joinery.jar /app/joinery.aot \
 && rm /app/joinery-embedded-postgres.jar

FROM eclipse-temurin:25-jre
COPY --from=build /app/ /app/
USER 10001:10001
EXPOSE 8080 9090
# The sidecar's JVM defaults, as JVM_DEFAULTS in ./joinery (README "Deploy").
ENV JOINERY_JVM_DEFAULTS="-XX:+UseSerialGC -Xms16m -Xmx128m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+ExitOnOutOfMemoryError -XX:AOTCache=/app/joinery.aot" \
    MALLOC_ARENA_MAX=2
ENTRYPOINT ["sh", "-c", "exec java $JOINERY_JVM_DEFAULTS $JAVA_OPTS -jar /app/joinery.jar \"$@\"", "joinery"]
