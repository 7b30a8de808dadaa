package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "A route for gRPC traffic.")
public record GrpcRoute(
        @NotNull @Valid GrpcRouteAction action,
        @NotNull @Valid GrpcRouteMatch match,
        @Valid GrpcRetryPolicy retryPolicy,
        @Valid GrpcTimeout timeout) {
}
