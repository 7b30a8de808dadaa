package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

@Schema(description = "Replaces the whole path.")
public record HttpGatewayRoutePathRewrite(
        @Size(min = 1, max = 255) String exact) {
}
