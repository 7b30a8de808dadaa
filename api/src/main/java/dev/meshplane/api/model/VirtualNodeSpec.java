package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

@Schema(description = "A virtual node: the listeners, backends, service discovery and logging of one deployment's Envoy sidecar.")
public record VirtualNodeSpec(
        @Valid BackendDefaults backendDefaults,
        List<@NotNull @Valid Backend> backends,
        List<@NotNull @Valid Listener> listeners,
        @Valid Logging logging,
        @Valid ServiceDiscovery serviceDiscovery) {
}
