package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "Body of a UpdateVirtualNode request.")
public record UpdateVirtualNodeRequest(
        String clientToken,
        @NotNull @Valid VirtualNodeSpec spec) {
}
