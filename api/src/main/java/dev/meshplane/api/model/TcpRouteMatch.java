package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

@Schema(description = "What a TCP route matches: the port.")
public record TcpRouteMatch(
        @Min(1) @Max(65535) Integer port) {
}
