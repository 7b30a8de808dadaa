package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "Timeouts for gRPC requests.")
public record GrpcTimeout(
        @Valid Duration idle,
        @Valid Duration perRequest) {
}
