#!/usr/bin/env bash
# Builds everything, then runs the scale scenario: the server as its own process, the simulated
# fleet in this one. Arguments go to the runner, e.g. --proxies=1000 --services=500 --clients=100.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests install
exec mvn -q -B -pl bench exec:java -Dexec.args="$*"
