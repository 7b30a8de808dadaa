package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

@Schema(description = "Resolves endpoints through DNS.")
public record DnsServiceDiscovery(
        @NotNull String hostname,
        IpPreference ipPreference,
        DnsResponseType responseType) {
}
