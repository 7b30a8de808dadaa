#!/bin/sh
# Writes the MyLearning demo mesh into Meshplane with the stock AWS CLI, exactly as a pipeline
# written for App Mesh would: only --endpoint-url is new. user-service runs as a 90/10 canary
# (v1/v2); "frontend" is the caller whose Envoy sidecar does the split.
set -eu
ENDPOINT="${MESHPLANE_URL:-http://meshplane:8080}"
am() { aws appmesh --endpoint-url "$ENDPOINT" "$@" > /dev/null; }

echo "waiting for Meshplane at $ENDPOINT"
until aws appmesh --endpoint-url "$ENDPOINT" list-meshes > /dev/null 2>&1; do sleep 2; done

if aws appmesh --endpoint-url "$ENDPOINT" describe-mesh --mesh-name mylearning > /dev/null 2>&1; then
  echo "mesh mylearning exists already"; exit 0
fi
am create-mesh --mesh-name mylearning
for v in v1 v2; do
  am create-virtual-node --mesh-name mylearning --virtual-node-name "user-service-$v" --spec "{
    \"listeners\": [{\"portMapping\": {\"port\": 8080, \"protocol\": \"http\"}}],
    \"serviceDiscovery\": {\"dns\": {\"hostname\": \"user-service-$v\"}}}"
done
am create-virtual-router --mesh-name mylearning --virtual-router-name user-service-router --spec '{
  "listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}]}'
am create-route --mesh-name mylearning --virtual-router-name user-service-router --route-name canary --spec '{
  "httpRoute": {"match": {"prefix": "/"}, "action": {"weightedTargets": [
    {"virtualNode": "user-service-v1", "weight": 90}, {"virtualNode": "user-service-v2", "weight": 10}]},
    "retryPolicy": {"maxRetries": 2, "perRetryTimeout": {"unit": "ms", "value": 2000}, "httpRetryEvents": ["gateway-error"]}}}'
am create-virtual-service --mesh-name mylearning --virtual-service-name user-service.mylearning.local --spec '{
  "provider": {"virtualRouter": {"virtualRouterName": "user-service-router"}}}'
am create-virtual-node --mesh-name mylearning --virtual-node-name frontend --spec '{
  "backends": [{"virtualService": {"virtualServiceName": "user-service.mylearning.local"}}],
  "logging": {"accessLog": {"file": {"path": "/dev/stdout"}}}}'
echo "mesh mylearning written: user-service 90% v1, 10% v2"
