#!/usr/bin/env bash
# Measures how long the packaged server takes from `java` to a ready readiness probe, and how big
# its jar is. Usage: bench/startup.sh [--runs=5 (the default)] [--no-build] [--jar=PATH] [-- extra server/JVM arguments]
# Each run starts the server on fresh ports with the embedded PostgreSQL; the first run initialises
# the data directory (initdb), the others reuse it, as a restarted server does. The figure reported
# is the median of the runs after the first (the first is printed apart).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
build=1
jar=control-plane/target/meshplane.jar
jvm=()
app=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs=*) runs="${1#--runs=}" ;;
    --no-build) build=0 ;;
    --jar=*) jar="${1#--jar=}" ;;
    --) shift; for a in "$@"; do case "$a" in --*) app+=("$a") ;; -*) jvm+=("$a") ;; *) app+=("$a") ;; esac; done; break ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
if [ "$build" = 1 ]; then
  mvn -q -B -DskipTests package -pl control-plane -am
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
times=()
# polls with bash's own /dev/tcp, no process per poll: a curl every few milliseconds would take CPU from the
# server being measured on a 2-core machine
ready_now() {
  local status
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
  IFS= read -r status <&3 || true
  exec 3<&- 3>&-
  [[ "$status" == *" 200 "* ]]
}
cpus=()
for i in $(seq 1 "$runs"); do
  http=$(free_port); xds=$(free_port)
  start=$(date +%s%N)
  java "${jvm[@]}" -jar "$jar" --server.port="$http" --meshplane.xds.port="$xds" \
    --meshplane.database.embedded.data-dir="$work/postgres" "${app[@]}" > "$work/server-$i.log" 2>&1 &
  pid=$!
  ready=""
  for _ in $(seq 1 600); do
    if ready_now "$http"; then
      ready=$(( ($(date +%s%N) - start) / 1000000 ))
      # CPU the JVM used until then (user + system, in clock ticks): less sensitive than wall time to other load
      cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$pid/stat")
      break
    fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.02
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -z "$ready" ]; then
    echo "run $i: the server did not become ready; its log:" >&2
    tail -40 "$work/server-$i.log" >&2
    exit 1
  fi
  echo "run $i: ready after $ready ms, JVM CPU $cpu ms$([ "$i" = 1 ] && echo ' (fresh data directory: initdb)')"
  [ "$i" = 1 ] || { times+=("$ready"); cpus+=("$cpu"); }
done
if [ ${#times[@]} -gt 0 ]; then
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}')
  median_cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}')
  echo "start to ready, median of ${#times[@]} restarts: $median ms (JVM CPU $median_cpu ms); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
if [ -d "$(dirname "$jar")/lib" ]; then
  echo "unpacked server: $(dirname "$jar") holds $(du -sb "$(dirname "$jar")" | cut -f1) bytes (jar, lib/ and any archive)"
else
  echo "jar: $jar, $(( $(stat -c %s "$jar") / 1048576 )) MiB ($(stat -c %s "$jar") bytes)"
fi
echo "cores: $(nproc), java: $(java -version 2>&1 | head -1)"
