package dev.meshplane.snapshot;

import dev.meshplane.api.model.Duration;
import dev.meshplane.api.model.GrpcTimeout;
import dev.meshplane.api.model.HttpTimeout;
import io.envoyproxy.envoy.config.route.v3.RouteAction;

/**
 * Route timeouts. Envoy takes {@code timeout} and {@code idle_timeout}; gRPC clients take only
 * {@code max_stream_duration}, so proxyless clients get the per-request timeout there.
 */
final class TimeoutTranslator {

    private TimeoutTranslator() {
    }

    static void apply(Object timeout, boolean proxyless, RouteAction.Builder action) {
        Duration perRequest = null;
        Duration idle = null;
        if (timeout instanceof HttpTimeout http) {
            perRequest = http.perRequest();
            idle = http.idle();
        } else if (timeout instanceof GrpcTimeout grpc) {
            perRequest = grpc.perRequest();
            idle = grpc.idle();
        }
        if (proxyless) {
            if (perRequest != null) {
                // longer than grpc-java reads makes it refuse the route configuration; no call lasts 292 years
                action.setMaxStreamDuration(RouteAction.MaxStreamDuration.newBuilder().setMaxStreamDuration(
                        GrpcClientForms.atMost(Durations.of(perRequest), GrpcClientForms.GRPC_JAVA_LONGEST)));
            }
            return;
        }
        if (perRequest != null) {
            action.setTimeout(Durations.of(perRequest));
        }
        if (idle != null) {
            action.setIdleTimeout(Durations.of(idle));
        }
    }
}
