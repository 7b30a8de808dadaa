package dev.meshplane.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.model.CreateVirtualGatewayRequest;
import dev.meshplane.api.model.CreateVirtualNodeRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An SDS secret name is what Envoy asks its SDS server for: an empty or blank one is never served. */
class SdsSecretNameTest {

    private static final String NODE = "{'virtualNodeName':'n','spec':{'serviceDiscovery':{'dns':{'hostname':'n.local'}},'listeners':[{'portMapping':{'port':8080,"
            + "'protocol':'http'},'tls':{'mode':'STRICT','certificate':{'sds':{'secretName':'%s'}}}}],"
            + "'backendDefaults':{'clientPolicy':{'tls':{'validation':{'trust':{'sds':{'secretName':'%s'}}}}}}}}";
    private static final String GATEWAY = "{'virtualGatewayName':'g','spec':{'listeners':[{'portMapping':{'port':8443,"
            + "'protocol':'http'},'tls':{'mode':'STRICT','certificate':{'sds':{'secretName':'%s'}}}}],"
            + "'backendDefaults':{'clientPolicy':{'tls':{'validation':{'trust':{'sds':{'secretName':'%s'}}}}}}}}";

    private static <T extends Record> T decode(String json, Class<T> type) {
        return RequestDecoder.decode(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8), type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void emptyOrBlankNamesAreRefused(String name) {
        assertThatThrownBy(() -> decode(NODE.formatted(name, "spiffe://example.org/bundle"), CreateVirtualNodeRequest.class))
                .isInstanceOf(ApiException.class)
                .hasMessageStartingWith("spec.listeners[0].tls.certificate.sds.secretName: must name a secret");
        assertThatThrownBy(() -> decode(NODE.formatted("default", name), CreateVirtualNodeRequest.class))
                .isInstanceOf(ApiException.class).hasMessageStartingWith(
                        "spec.backendDefaults.clientPolicy.tls.validation.trust.sds.secretName: must name a secret");
        assertThatThrownBy(() -> decode(GATEWAY.formatted(name, "ROOTCA"), CreateVirtualGatewayRequest.class))
                .isInstanceOf(ApiException.class)
                .hasMessageStartingWith("spec.listeners[0].tls.certificate.sds.secretName: must name a secret");
        assertThatThrownBy(() -> decode(GATEWAY.formatted("default", name), CreateVirtualGatewayRequest.class))
                .isInstanceOf(ApiException.class).hasMessageStartingWith(
                        "spec.backendDefaults.clientPolicy.tls.validation.trust.sds.secretName: must name a secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "spiffe://example.org/ns/shop/sa/orders"})
    void namedSecretsAreAccepted(String name) {
        assertThat(decode(NODE.formatted(name, "ROOTCA"), CreateVirtualNodeRequest.class)).isNotNull();
        assertThat(decode(GATEWAY.formatted(name, "ROOTCA"), CreateVirtualGatewayRequest.class)).isNotNull();
    }
}
