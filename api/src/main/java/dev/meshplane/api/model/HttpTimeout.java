package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "Per-request and idle timeouts for HTTP traffic.")
public record HttpTimeout(
        @Valid Duration idle,
        @Valid Duration perRequest) {
}
