package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@Schema(description = "A route as stored: spec, status and metadata.")
public record RouteData(
        @NotNull @Size(min = 1, max = 255) String meshName,
        @NotNull @Valid ResourceMetadata metadata,
        @NotNull @Size(min = 1, max = 255) String routeName,
        @NotNull @Valid RouteSpec spec,
        @NotNull @Valid RouteStatus status,
        @NotNull @Size(min = 1, max = 255) String virtualRouterName) {
}
