# The sidecar's image: docker build -t joinery .
# It runs proxy/target/joinery.jar alone, as a non-root user, on a read-only root file system
# (nothing is written but the JVM's optional /tmp/hsperfdata). No embedded PostgreSQL: set
# JOINERY_DATABASE_URL. The GraphQL listener stays on loopback, for the application in the same pod;
# docker run -p 8080:8080 needs -e JOINERY_GRAPHQL_HOST=0.0.0.0 (and a non-loopback admin host needs
# JOINERY_ADMIN_SECRET). See README "Deploy".

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests -pl proxy -am package

FROM eclipse-temurin:25-jre
COPY --from=build /src/proxy/target/joinery.jar /app/joinery.jar
USER 10001:10001
EXPOSE 8080 9090
# The sidecar's JVM defaults (README "Deploy"); JAVA_TOOL_OPTIONS adds to them.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/joinery.jar"]
