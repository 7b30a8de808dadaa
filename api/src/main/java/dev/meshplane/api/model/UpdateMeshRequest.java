package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "Body of a UpdateMesh request.")
public record UpdateMeshRequest(
        String clientToken,
        @Valid MeshSpec spec) {
}
