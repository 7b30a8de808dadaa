package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@Schema(description = "One key of a JSON access log line and the Envoy format string that fills it.")
public record JsonFormatRef(
        @NotNull @Size(min = 1, max = 100) String key,
        @NotNull @Size(min = 1, max = 100) String value) {
}
