package dev.meshplane.snapshot;

import dev.meshplane.api.model.GrpcRetryPolicy;
import dev.meshplane.api.model.GrpcRetryPolicyEvent;
import dev.meshplane.api.model.HttpRetryPolicy;
import dev.meshplane.api.model.TcpRetryPolicyEvent;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * App Mesh retry policies as Envoy's: the events become {@code retry_on} conditions, with App Mesh's
 * 25 ms base back-off. gRPC clients understand only gRPC status conditions, so only those are sent to them,
 * and they get no policy at all where gRPC would refuse or ignore it (see {@link GrpcClientRules}).
 */
final class RetryPolicyTranslator {

    private static final Map<String, String> HTTP_EVENTS = Map.of(
            "server-error", "5xx",
            "gateway-error", "gateway-error",
            "client-error", "retriable-4xx",
            "stream-error", "refused-stream");

    private RetryPolicyTranslator() {
    }

    /**
     * The Envoy retry policy of an App Mesh {@code HttpRetryPolicy} or {@code GrpcRetryPolicy}; null when
     * there is none, and for gRPC clients also when it would retry nothing: {@code maxRetries: 0} (gRPC
     * C-core refuses {@code num_retries: 0}, "RouteAction RetryPolicy num_retries set to invalid value 0",
     * and grpc-java's {@code maxAttempts} of 1 is not a retry policy) or no gRPC status among its events
     * (gRPC's {@code XdsRouteConfigureResource.parseRetryPolicy} skips every other condition).
     */
    static RetryPolicy translate(Object policy, boolean proxyless) {
        Set<String> on = new LinkedHashSet<>();
        long maxRetries;
        dev.meshplane.api.model.Duration perTry;
        if (policy instanceof HttpRetryPolicy http) {
            if (!proxyless) {
                http(on, http.httpRetryEvents());
                tcp(on, http.tcpRetryEvents());
            }
            maxRetries = http.maxRetries();
            perTry = http.perRetryTimeout();
        } else if (policy instanceof GrpcRetryPolicy grpc) {
            if (grpc.grpcRetryEvents() != null) {
                grpc.grpcRetryEvents().stream().map(GrpcRetryPolicyEvent::wireValue).forEach(on::add);
            }
            if (!proxyless) {
                http(on, grpc.httpRetryEvents());
                tcp(on, grpc.tcpRetryEvents());
            }
            maxRetries = grpc.maxRetries();
            perTry = grpc.perRetryTimeout();
        } else {
            return null;
        }
        if (proxyless && (maxRetries == 0 || on.isEmpty())) {
            return null;
        }
        RetryPolicy.Builder builder = RetryPolicy.newBuilder()
                .setRetryOn(String.join(",", on))
                .setNumRetries(UInt32Value.of((int) Math.min(maxRetries, Integer.MAX_VALUE)))
                .setRetryBackOff(RetryPolicy.RetryBackOff.newBuilder()
                        .setBaseInterval(Durations.ofMillis(25))
                        .setMaxInterval(Durations.ofMillis(250)));
        if (!proxyless && perTry != null) {
            builder.setPerTryTimeout(Durations.of(perTry));
        }
        return builder.build();
    }

    private static void http(Set<String> on, List<String> events) {
        if (events != null) {
            events.stream().map(HTTP_EVENTS::get).forEach(on::add);
        }
    }

    private static void tcp(Set<String> on, List<TcpRetryPolicyEvent> events) {
        if (events != null && !events.isEmpty()) {
            on.add("connect-failure");
            on.add("reset");
        }
    }
}
