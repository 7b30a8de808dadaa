package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

@Schema
public record VirtualGatewayLogging(
        @Valid VirtualGatewayAccessLog accessLog) {
}
