package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "A route for HTTP or HTTP/2 traffic.")
public record HttpRoute(
        @NotNull @Valid HttpRouteAction action,
        @NotNull @Valid HttpRouteMatch match,
        @Valid HttpRetryPolicy retryPolicy,
        @Valid HttpTimeout timeout) {
}
