package dev.meshplane.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.model.CreateRouteRequest;
import dev.meshplane.api.model.CreateVirtualNodeRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the generated-input property test (snapshot's AcceptedSpecsPropertyTest) found the API accepting and Envoy
 * refusing: each is refused by the API now, naming the member, and the nearest accepted value still passes.
 */
class GeneratedInputFindingsTest {

    private static final String OUTLIER = "{'virtualNodeName':'n','spec':{'serviceDiscovery':{'dns':{'hostname':'n.local'}},'listeners':[{'portMapping':{'port':8080,"
            + "'protocol':'http'},'outlierDetection':{'interval':{'unit':'%s','value':%d},'baseEjectionDuration':"
            + "{'unit':'ms','value':%d},'maxEjectionPercent':10,'maxServerErrors':5}}]}}";
    private static final String DNS = "{'virtualNodeName':'n','spec':{'serviceDiscovery':{'dns':{'hostname':'%s'}}}}";
    private static final String ROUTE = "{'routeName':'r','spec':{'httpRoute':{'match':{'prefix':'/',"
            + "'queryParameters':[{'name':'%s'}]},'action':{'weightedTargets':[{'virtualNode':'n','weight':1}]}}}}";

    private static <T extends Record> T decode(String json, Class<T> type) {
        return RequestDecoder.decode(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8), type);
    }

    /** Envoy's outlier_detection.proto: interval and base_ejection_time must be longer than 0. */
    @ParameterizedTest
    @CsvSource({
        "s, 0, 30, spec.listeners[0].outlierDetection.interval.value: must be greater than 0",
        "s, 10, 0, spec.listeners[0].outlierDetection.baseEjectionDuration.value: must be greater than 0"})
    void outlierDetectionDurationsMustBePositive(String unit, long interval, long ejection, String message) {
        assertThatThrownBy(() -> decode(OUTLIER.formatted(unit, interval, ejection), CreateVirtualNodeRequest.class))
                .isInstanceOf(ApiException.class).hasMessageStartingWith(message);
        assertThat(decode(OUTLIER.formatted(unit, 1, 1), CreateVirtualNodeRequest.class).spec().listeners()).hasSize(1);
    }

    /** google/protobuf/duration.proto: at most 315,576,000,000 s; longer ones (or ones overflowing as ms) are refused. */
    @ParameterizedTest
    @CsvSource({"s, 315576000001", "ms, 315576000000001", "s, 9223372036854775807"})
    void durationsLongerThanProtobufAllowsAreRefused(String unit, long value) {
        assertThatThrownBy(() -> decode(OUTLIER.formatted(unit, value, 1), CreateVirtualNodeRequest.class))
                .isInstanceOf(ApiException.class)
                .hasMessageStartingWith("spec.listeners[0].outlierDetection.interval.value: must be at most 315576000000"
                        + " seconds");
    }

    @Test
    void theLongestDurationIsAccepted() {
        assertThat(decode(OUTLIER.formatted("s", 315_576_000_000L, 1), CreateVirtualNodeRequest.class)).isNotNull();
        assertThat(decode(OUTLIER.formatted("ms", 315_576_000_000_000L, 1), CreateVirtualNodeRequest.class)).isNotNull();
    }

    /** Envoy's address.proto: a socket address needs a non-empty address; a name with spaces resolves nowhere. */
    @ParameterizedTest
    @ValueSource(strings = {"", " ", "orders internal"})
    void dnsHostnamesMustBeNames(String hostname) {
        assertThatThrownBy(() -> decode(DNS.formatted(hostname), CreateVirtualNodeRequest.class))
                .isInstanceOf(ApiException.class)
                .hasMessageStartingWith("spec.serviceDiscovery.dns.hostname: must be a host name or IP address");
    }

    @Test
    void dnsHostnamesAndAddressesAreAccepted() {
        for (String hostname : new String[] {"orders.internal", "10.0.0.5", "2001:db8::5", "x."}) {
            assertThat(decode(DNS.formatted(hostname), CreateVirtualNodeRequest.class).spec().serviceDiscovery()
                    .dns().hostname()).isEqualTo(hostname);
        }
    }

    /** Envoy's route_components.proto: QueryParameterMatcher.name needs at least one character. */
    @Test
    void queryParameterNamesMustNotBeEmpty() {
        assertThatThrownBy(() -> decode(ROUTE.formatted(""), CreateRouteRequest.class)).isInstanceOf(ApiException.class)
                .hasMessage("spec.httpRoute.match.queryParameters[0].name: must not be empty");
        assertThat(decode(ROUTE.formatted("tier"), CreateRouteRequest.class).spec().httpRoute()).isNotNull();
    }
}
