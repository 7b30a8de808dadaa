#!/usr/bin/env bash
# Builds everything, then runs the scale scenario: the server as its own process, the simulated
# fleet in this one. Arguments go to the runner, e.g. --proxies=1000 --services=500 --clients=100;
# --baseline runs the same scenario against bare java-control-plane (SimpleCache) instead;
# --mtls=STRICT (or PERMISSIVE) turns the mesh-wide mTLS switch on, and proxies also ask for their certificates over SDS;
# --load-reports: every proxy also reports its load (LRS), and the runner measures what that costs the server.
# --no-build (first) skips the build and runs what the last build left in the target folders.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--no-build" ]; then
  shift
else
  # within the reactor, so nothing is installed into the local repository: the classpath names each
  # module's jar in its target folder, never a copy in ~/.m2 that another checkout may have written
  mvn -q -B -pl bench -am -DskipTests -DskipQuickStart package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
fi
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.meshplane.bench.ScenarioRunner "$@"
