package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "Client policy applied to every backend unless the backend sets its own.")
public record BackendDefaults(
        @Valid ClientPolicy clientPolicy) {
}
