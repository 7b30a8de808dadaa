package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

@Schema(description = "Body of a CreateMesh request.")
public record CreateMeshRequest(
        String clientToken,
        @NotNull @Size(min = 1, max = 255) String meshName,
        @Valid MeshSpec spec,
        List<@NotNull @Valid TagRef> tags) {
}
