package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;

@Schema(description = "Mesh-wide service discovery preferences.")
public record MeshServiceDiscovery(
        IpPreference ipPreference) {
}
