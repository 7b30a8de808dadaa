#!/usr/bin/env bash
# The operator's drills (docs/operations.md): builds the server, then runs one drill against its
# packaged jar. Usage: bench/drill.sh replicas|outage [--proxies=1000] [--services=100] [--clients=20]
set -euo pipefail
cd "$(dirname "$0")/.."
# within the reactor, so nothing is installed into the local repository (see scale.sh)
mvn -q -B -pl bench -am -DskipTests -DskipQuickStart package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -Dorg.slf4j.simpleLogger.log.io.zonky=warn -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.meshplane.bench.Drills "$@"
