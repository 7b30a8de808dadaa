package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@Schema(description = "A tag: key and value.")
public record TagRef(
        @NotNull @Size(min = 1, max = 128) String key,
        @NotNull @Size(max = 256) String value) {
}
