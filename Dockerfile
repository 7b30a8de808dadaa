# Meshplane server image: built with Maven, run on a JRE as a non-root user.
#   docker build -t meshplane:dev .
# Not built in this project's CI (no Docker engine there); see docs/operations.md.

FROM maven:3.9-eclipse-temurin-17 AS build
# console/pom.xml runs npm to bundle the web console: Node.js 20 and npm from the official Node image
COPY --from=node:20-bookworm-slim /usr/local/bin/node /usr/local/bin/node
COPY --from=node:20-bookworm-slim /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
WORKDIR /src
COPY pom.xml .
COPY api/pom.xml api/
COPY persistence/pom.xml persistence/
COPY snapshot/pom.xml snapshot/
COPY grpc-credentials/pom.xml grpc-credentials/
COPY cli/pom.xml cli/
COPY console/pom.xml console/
COPY control-plane/pom.xml control-plane/
COPY bench/pom.xml bench/
COPY packaging/pom.xml packaging/
COPY api/src api/src
COPY persistence/src persistence/src
COPY snapshot/src snapshot/src
COPY grpc-credentials/src grpc-credentials/src
COPY control-plane/src control-plane/src
COPY console/package.json console/package-lock.json console/.npmrc console/index.html console/tsconfig.json console/vite.config.ts console/
COPY console/src console/src
RUN mvn -B -q -DskipTests -pl control-plane -am package

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 meshplane \
 && useradd --system --uid 10001 --gid meshplane --home-dir /var/lib/meshplane --create-home meshplane
COPY --from=build /src/control-plane/target/meshplane.jar /opt/meshplane/meshplane.jar
USER 10001:10001
WORKDIR /var/lib/meshplane
# the embedded PostgreSQL (used when SPRING_DATASOURCE_URL is not set) keeps its data here
ENV MESHPLANE_DATABASE_EMBEDDED_DATA_DIR=/var/lib/meshplane/data \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
VOLUME /var/lib/meshplane
EXPOSE 8080 18000
ENTRYPOINT ["java", "-jar", "/opt/meshplane/meshplane.jar"]
