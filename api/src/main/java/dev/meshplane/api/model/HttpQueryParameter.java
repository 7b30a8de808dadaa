package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "A query parameter to match.")
public record HttpQueryParameter(
        @Valid QueryParameterMatch match,
        @NotNull String name) {
}
