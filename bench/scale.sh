#!/usr/bin/env bash
# Builds everything, then runs the scale scenario: the server as its own process, the simulated
# fleet in this one. Arguments go to the runner, e.g. --proxies=1000 --services=500 --clients=100;
# --baseline runs the same scenario against bare java-control-plane (SimpleCache) instead;
# --mtls=STRICT (or PERMISSIVE) turns the mesh-wide mTLS switch on, and proxies also ask for their certificates over SDS.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests install
mvn -q -B -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.meshplane.bench.ScenarioRunner "$@"
