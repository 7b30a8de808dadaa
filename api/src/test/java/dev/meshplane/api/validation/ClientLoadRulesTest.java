package dev.meshplane.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.model.CreateVirtualNodeRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Inputs every client would refuse at load time are refused by the API instead, naming the member. */
class ClientLoadRulesTest {

    private static final String NODE = "{'virtualNodeName':'n','spec':{'serviceDiscovery':{'dns':{'hostname':'n.local'}},'listeners':[{'portMapping':{'port':8080,"
            + "'protocol':'%s'},'healthCheck':{'protocol':'%s','path':'%s','healthyThreshold':2,'unhealthyThreshold':2,"
            + "'intervalMillis':5000,'timeoutMillis':2000}}]}}";

    private static CreateVirtualNodeRequest decode(String listener, String check, String path) {
        return RequestDecoder.decode(NODE.formatted(listener, check, path).replace('\'', '"')
                .getBytes(StandardCharsets.UTF_8), CreateVirtualNodeRequest.class);
    }

    /** Issue 12, example 11: Envoy refuses a gRPC health check on a cluster without HTTP/2. */
    @ParameterizedTest
    @CsvSource({"http, grpc, /", "tcp, grpc, /"})
    void grpcHealthCheckNeedsAnHttp2Listener(String listener, String check, String path) {
        assertThatThrownBy(() -> decode(listener, check, path)).isInstanceOf(ApiException.class)
                .hasMessage("spec.listeners[0].healthCheck.protocol: a grpc health check needs a listener of protocol"
                        + " grpc or http2 (Envoy sends it over HTTP/2), but this listener's protocol is '" + listener + "'");
    }

    @ParameterizedTest
    @CsvSource({"http, http, health", "http2, http2, health"})
    void healthCheckPathMustBeAPath(String listener, String check, String path) {
        assertThatThrownBy(() -> decode(listener, check, path)).isInstanceOf(ApiException.class)
                .hasMessage("spec.listeners[0].healthCheck.path: must start with '/', got 'health'");
    }

    @ParameterizedTest
    @CsvSource({"grpc, grpc, /", "http2, grpc, /", "http, http2, /ping", "tcp, http, /ping", "http, tcp, /"})
    void acceptsWhatEnvoyCanRun(String listener, String check, String path) {
        assertThat(decode(listener, check, path).spec().listeners()).hasSize(1);
    }
}
