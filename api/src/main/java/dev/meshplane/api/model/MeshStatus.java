package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;

@Schema(description = "Lifecycle state of a mesh.")
public record MeshStatus(
        MeshStatusCode status) {
}
