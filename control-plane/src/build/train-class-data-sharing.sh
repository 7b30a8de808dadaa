#!/usr/bin/env bash
# Records the class data sharing archive the README's start command uses: one start of the unpacked
# server, up to ready and through the requests every start sees (readiness, the API, metrics), then a
# SIGTERM; the JVM writes the classes it loaded into the archive as it exits. Run by Maven at package.
# Usage: train-class-data-sharing.sh <java> <unpacked meshplane.jar> <archive to write> <work directory>
set -euo pipefail
java=$1 jar=$2 archive=$3 work=$4
rm -rf "$work" "$archive"
mkdir -p "$work"
cd "$work"
"$java" -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$jar" \
  --server.port=0 --meshplane.xds.port=0 --meshplane.xds.warm-up=false --logging.level.root=warn \
  --logging.level.dev.meshplane.controlplane.web.StartupBanner=info > training.log 2>&1 &
pid=$!
port=""
for _ in $(seq 1 1200); do
  port=$(sed -n 's|.*Meshplane ready: App Mesh API http://[^:]*:\([0-9]*\)/.*|\1|p' training.log | head -1)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { cat training.log >&2; echo "the training start failed" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { kill "$pid"; echo "the training start did not become ready in 120 s" >&2; exit 1; }
get() {
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$1" >&3
  cat <&3 > /dev/null
  exec 3<&- 3>&-
}
for path in /actuator/health/readiness /actuator/health/liveness /v20190125/meshes /actuator/prometheus; do
  get "$path"
done
kill -TERM "$pid"
wait "$pid" || true
[ -s "$archive" ] || { cat training.log >&2; echo "no archive was written" >&2; exit 1; }
