package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@Schema(description = "A gRPC metadata entry to match.")
public record GrpcRouteMetadata(
        Boolean invert,
        @Valid GrpcRouteMetadataMatchMethod match,
        @NotNull @Size(min = 1, max = 50) String name) {
}
