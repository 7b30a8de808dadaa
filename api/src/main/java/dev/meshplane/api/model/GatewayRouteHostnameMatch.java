package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

@Schema(description = "Matches the request's host name exactly or by suffix.")
public record GatewayRouteHostnameMatch(
        @Size(min = 1, max = 253) String exact,
        @Size(min = 1, max = 253) String suffix) {
}
