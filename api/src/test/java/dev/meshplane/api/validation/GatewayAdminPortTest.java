package dev.meshplane.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.model.CreateVirtualGatewayRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A gateway's Envoy binds its listener ports itself; the admin interface already holds 9901 there. */
class GatewayAdminPortTest {

    private static final String GATEWAY = "{'virtualGatewayName':'g','spec':{'listeners':[{'portMapping':{'port':8443,"
            + "'protocol':'http'}},{'portMapping':{'port':%d,'protocol':'http2'}}]}}";

    private static CreateVirtualGatewayRequest decode(int port) {
        return RequestDecoder.decode(GATEWAY.formatted(port).replace('\'', '"').getBytes(StandardCharsets.UTF_8),
                CreateVirtualGatewayRequest.class);
    }

    @Test
    void aListenerOnTheAdminPortIsRefused() {
        assertThatThrownBy(() -> decode(9901)).isInstanceOf(ApiException.class)
                .hasMessageStartingWith("spec.listeners[1].portMapping.port: port 9901 is the Envoy admin interface's port");
    }

    @Test
    void otherPortsAreAccepted() {
        assertThat(decode(9902).spec().listeners()).hasSize(2);
    }
}
