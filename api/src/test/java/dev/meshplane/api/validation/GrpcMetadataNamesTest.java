package dev.meshplane.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.model.CreateGatewayRouteRequest;
import dev.meshplane.api.model.CreateRouteRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A gRPC route's metadata match reaches Envoy sidecars and proxyless gRPC clients, which read some names
 * differently (grpc-java RoutingUtils, grpc-js matcher.ts, C-core GetHeaderValue; gRPC's PROTOCOL-HTTP2.md): those
 * names are refused on routes, naming the member. Gateway routes reach only Envoy and keep them.
 */
class GrpcMetadataNamesTest {

    private static final String ROUTE = "{'routeName':'r','spec':{'grpcRoute':{'match':{'serviceName':'pkg.Svc',"
            + "'metadata':[{'name':'x-ok','match':{'exact':'1'}},{'name':'%s','match':{'exact':'v'}}]},"
            + "'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}}";

    private static <T extends Record> T decode(String json, Class<T> type) {
        return RequestDecoder.decode(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8), type);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "x-token-bin | 'x-token-bin': binary metadata: gRPC clients treat it as absent",
        "X-Trace-BIN | 'X-Trace-BIN': binary metadata",
        "content-type | 'content-type': gRPC clients match the content type as the constant 'application/grpc'",
        "Content-Type | 'Content-Type': gRPC clients match the content type",
        "user-agent | 'user-agent': set by the gRPC library itself",
        "te | 'te': set by the gRPC library itself",
        "grpc-timeout | 'grpc-timeout': set by the gRPC library itself",
        "grpc-x-custom | 'grpc-x-custom': set by the gRPC library itself",
        "x-user!tier | 'x-user!tier': not a gRPC metadata name (gRPC's PROTOCOL-HTTP2.md: 0-9 a-z _ - .)",
        "x~tier | 'x~tier': not a gRPC metadata name"})
    void namesGrpcClientsMatchUnlikeEnvoyAreRefused(String name, String message) {
        assertThatThrownBy(() -> decode(ROUTE.formatted(name), CreateRouteRequest.class))
                .isInstanceOf(ApiException.class)
                .hasMessageStartingWith("spec.grpcRoute.match.metadata[1].name: " + message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x-user-segment", "X-User-Segment", "tier_2", "x.b3.traceid", "binary", "x-bin-count", "grpcx"})
    void applicationMetadataNamesAreAccepted(String name) {
        assertThat(decode(ROUTE.formatted(name), CreateRouteRequest.class).spec().grpcRoute().match().metadata())
                .hasSize(2);
    }

    @Test
    void gatewayRoutesReachOnlyEnvoyAndKeepThem() {
        assertThat(decode("{'gatewayRouteName':'g','spec':{'grpcRoute':{'match':{'serviceName':'pkg.Svc','metadata':"
                + "[{'name':'x-token-bin','match':{'exact':'v'}},{'name':'content-type','match':{'prefix':'application/grpc'}}]},"
                + "'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}}", CreateGatewayRouteRequest.class)
                .spec().grpcRoute().match().metadata()).hasSize(2);
    }
}
