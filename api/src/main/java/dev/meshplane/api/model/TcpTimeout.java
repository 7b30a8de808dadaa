package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema(description = "Idle timeout of TCP connections.")
public record TcpTimeout(
        @Valid Duration idle) {
}
