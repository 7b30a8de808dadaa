package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "A port a virtual node accepts traffic on, with its health check, TLS, timeouts, outlier detection and connection pool.")
public record Listener(
        @Valid VirtualNodeConnectionPool connectionPool,
        @Valid HealthCheckPolicy healthCheck,
        @Valid OutlierDetection outlierDetection,
        @NotNull @Valid PortMapping portMapping,
        @Valid ListenerTimeout timeout,
        @Valid ListenerTls tls) {
}
