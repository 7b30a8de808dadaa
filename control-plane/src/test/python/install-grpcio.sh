#!/bin/sh
# Installs Debian's python3-grpcio (gRPC C-core; 1.51.1 on Debian 12) for GrpcCoreXdsTest, only where
# the system Python lacks it. Run by control-plane's Maven build (process-test-resources) as root, as on CI.
set -eu
if /usr/bin/python3 -c 'import grpc, google.protobuf' 2>/dev/null; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-grpcio.sh: /usr/bin/python3 has no grpc module and this is not root: run" \
         "'apt-get install python3-grpcio python3-protobuf' once" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends python3-grpcio python3-protobuf >/dev/null \
    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends python3-grpcio python3-protobuf >/dev/null; }
/usr/bin/python3 -c 'import grpc, google.protobuf'
