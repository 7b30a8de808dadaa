package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "Logging of a virtual node's proxy.")
public record Logging(
        @Valid AccessLog accessLog) {
}
