#!/bin/sh
# Calls user-service through the frontend's Envoy sidecar (its direct egress listener on 8080, with
# the virtual service as Host) in batches of 100 and prints how the batch split between v1 and v2.
set -u
ENVOY="${ENVOY_EGRESS:-http://frontend-envoy:8080}"
until curl -sf -o /dev/null -H 'Host: user-service.mylearning.local:8080' "$ENVOY/"; do
  echo "waiting for the frontend's Envoy to be configured"; sleep 2
done
while true; do
  v1=0; v2=0; other=0
  i=0
  while [ $i -lt 100 ]; do
    body=$(curl -s -H 'Host: user-service.mylearning.local:8080' "$ENVOY/")
    case "$body" in
      *"user-service v1"*) v1=$((v1 + 1)) ;;
      *"user-service v2"*) v2=$((v2 + 1)) ;;
      *) other=$((other + 1)) ;;
    esac
    i=$((i + 1))
  done
  echo "last 100 calls: v1=$v1 v2=$v2 failed=$other"
  sleep 1
done
