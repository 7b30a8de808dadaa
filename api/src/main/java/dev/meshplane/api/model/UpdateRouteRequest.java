package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "Body of a UpdateRoute request.")
public record UpdateRouteRequest(
        String clientToken,
        @NotNull @Valid RouteSpec spec) {
}
