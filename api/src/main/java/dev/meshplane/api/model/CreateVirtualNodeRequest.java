package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

@Schema(description = "Body of a CreateVirtualNode request.")
public record CreateVirtualNodeRequest(
        String clientToken,
        @NotNull @Valid VirtualNodeSpec spec,
        List<@NotNull @Valid TagRef> tags,
        @NotNull @Size(min = 1, max = 255) String virtualNodeName) {
}
