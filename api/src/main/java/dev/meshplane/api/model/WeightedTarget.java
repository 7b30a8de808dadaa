package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@Schema(description = "A virtual node, an optional port, and its relative weight.")
public record WeightedTarget(
        @Min(1) @Max(65535) Integer port,
        @NotNull @Size(min = 1, max = 255) String virtualNode,
        @NotNull @Min(0) @Max(100) Integer weight) {
}
