package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@Schema(description = "A virtual node that provides a virtual service directly.")
public record VirtualNodeServiceProvider(
        @NotNull @Size(min = 1, max = 255) String virtualNodeName) {
}
