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

/**
 * A gRPC route's serviceName and methodName become the path /service/method Envoy and gRPC clients match a call's
 * :path against: a name no call's path can hold is refused, naming the member, instead of never matching.
 */
class GrpcPathRulesTest {

    private static final String ROUTE = "{'routeName':'r','spec':{'grpcRoute':{'match':%s,"
            + "'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}}";
    private static final String GATEWAY_ROUTE = "{'gatewayRouteName':'r','spec':{'grpcRoute':{'match':%s,"
            + "'action':{'target':{'virtualService':{'virtualServiceName':'s.local'}}}}}}";

    private static <T extends Record> T decode(String json, Class<T> type) {
        return RequestDecoder.decode(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8), type);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'serviceName':''} | spec.grpcRoute.match.serviceName: must not be empty",
        "{'serviceName':'shop.Orders/Get'} | spec.grpcRoute.match.serviceName: 'shop.Orders/Get' has a '/'",
        "{'serviceName':'shop.Orders#x'} | spec.grpcRoute.match.serviceName: 'shop.Orders#x' has a '/'",
        "{'serviceName':'shop.Orders','methodName':'Get Order'} | spec.grpcRoute.match.methodName: 'Get Order' has a '/'",
        "{'serviceName':'shop.Orders','methodName':'Get?x=1'} | spec.grpcRoute.match.methodName: 'Get?x=1' has a '/'"})
    void routeNamesNoCallCanHaveAreRefused(String match, String message) {
        assertThatThrownBy(() -> decode(ROUTE.formatted(match), CreateRouteRequest.class))
                .isInstanceOf(ApiException.class).hasMessageStartingWith(message);
    }

    @Test
    void gatewayRouteServiceNamesAreCheckedAlike() {
        assertThatThrownBy(() -> decode(GATEWAY_ROUTE.formatted("{'serviceName':'shop.Orders?v=1'}"),
                CreateGatewayRouteRequest.class)).isInstanceOf(ApiException.class)
                .hasMessageStartingWith("spec.grpcRoute.match.serviceName: 'shop.Orders?v=1' has a '/'");
    }

    @Test
    void fullyQualifiedNamesAreAccepted() {
        assertThat(decode(ROUTE.formatted("{'serviceName':'shop.v1.Orders','methodName':'GetOrder'}"),
                CreateRouteRequest.class).spec().grpcRoute().match().methodName()).isEqualTo("GetOrder");
        assertThat(decode(GATEWAY_ROUTE.formatted("{'serviceName':'grpc.health.v1.Health'}"),
                CreateGatewayRouteRequest.class)).isNotNull();
    }
}
