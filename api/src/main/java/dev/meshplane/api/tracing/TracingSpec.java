package dev.meshplane.api.tracing;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A mesh's tracing settings: which tracer every Envoy of the mesh (sidecars and gateways) reports spans to, and how
 * many requests it samples. Exactly the member named by {@code provider} is given (or left out for its defaults);
 * {@link dev.meshplane.api.validation.TracingRules} holds the rules each field follows and where they come from.
 */
@Schema(description = "The tracer every Envoy of the mesh (sidecars and gateways, all their HTTP, HTTP/2 and gRPC"
        + " listeners) reports spans to. gRPC proxyless clients are sent nothing: their tracing is the application's."
        + " Applications must forward the provider's propagation headers (docs/tracing.md).")
public record TracingSpec(
        @Schema(description = "xray, zipkin or opentelemetry") @NotNull Provider provider,
        @Schema(description = "Percentage of requests that start a trace (0 to 100, decimals allowed). Absent: Envoy's"
                + " default of 100 for zipkin and opentelemetry; X-Ray's own rule (1 request a second, then 5 %) for xray,"
                + " as the App Mesh image without XRAY_SAMPLING_RATE")
        Double samplingPercent,
        @Schema(description = "X-Ray settings (provider xray only)") @Valid XRay xray,
        @Schema(description = "Zipkin settings (provider zipkin only; required with it)") @Valid Zipkin zipkin,
        @Schema(description = "OpenTelemetry settings (provider opentelemetry only; required with it)")
        @Valid OpenTelemetry opentelemetry) {

    /** The tracer. */
    public enum Provider {
        XRAY("xray"), ZIPKIN("zipkin"), OPENTELEMETRY("opentelemetry");

        private final String wireValue;

        Provider(String wireValue) {
            this.wireValue = wireValue;
        }

        /** The value as it is written on the wire. */
        @JsonValue
        public String wireValue() {
            return wireValue;
        }
    }

    /** Zipkin's collector API: v2 spans as JSON or as protobuf, over HTTP. */
    public enum ZipkinVersion {
        HTTP_JSON, HTTP_PROTO;

        /** The value as it is written on the wire. */
        @JsonValue
        public String wireValue() {
            return name();
        }
    }

    /** Where Envoy's X-Ray tracer sends segments (UDP) and how it names them. */
    public record XRay(
            @Schema(description = "The X-Ray daemon's UDP address, <IPv4 address>[:<port>]; default 127.0.0.1:2000")
            @Size(min = 1, max = 64) String daemonAddress,
            @Schema(description = "The segment name; default <mesh>/<virtual node or gateway>, as the App Mesh image names it")
            @Size(min = 1, max = 200) String segmentName) {
    }

    /** The Zipkin collector, reached over HTTP through a cluster Meshplane adds. */
    public record Zipkin(
            @Schema(description = "The collector, <host>:<port>: a DNS name or an IP literal (IPv6 in brackets)")
            @NotNull @Size(min = 1, max = 260) String collector,
            @Schema(description = "The collector's span API path; default /api/v2/spans") @Size(min = 1, max = 1024)
            String path,
            @Schema(description = "HTTP_JSON (default) or HTTP_PROTO") ZipkinVersion version) {
    }

    /** The OpenTelemetry collector, reached with OTLP over gRPC through a cluster Meshplane adds. */
    public record OpenTelemetry(
            @Schema(description = "The collector's OTLP gRPC address, <host>:<port>: a DNS name or an IP literal (IPv6 in"
                    + " brackets)") @NotNull @Size(min = 1, max = 260) String collector,
            @Schema(description = "The service.name resource attribute of the spans; default <mesh>/<virtual node or"
                    + " gateway>") @Size(min = 1, max = 255) String serviceName) {
    }
}
