package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "A port and protocol the virtual router routes.")
public record VirtualRouterListener(
        @NotNull @Valid PortMapping portMapping) {
}
