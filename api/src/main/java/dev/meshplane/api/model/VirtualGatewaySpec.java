package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

@Schema(description = "A virtual gateway: listeners, backend defaults and logging of an ingress Envoy.")
public record VirtualGatewaySpec(
        @Valid VirtualGatewayBackendDefaults backendDefaults,
        @NotNull List<@NotNull @Valid VirtualGatewayListener> listeners,
        @Valid VirtualGatewayLogging logging) {
}
