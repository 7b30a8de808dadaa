package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "Mesh-wide settings: egress filter and service discovery.")
public record MeshSpec(
        @Valid EgressFilter egressFilter,
        @Valid MeshServiceDiscovery serviceDiscovery) {
}
