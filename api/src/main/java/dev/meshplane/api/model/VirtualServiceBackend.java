package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "A virtual service used as a backend, with an optional client policy.")
public record VirtualServiceBackend(
        @Valid ClientPolicy clientPolicy,
        @NotNull String virtualServiceName) {
}
