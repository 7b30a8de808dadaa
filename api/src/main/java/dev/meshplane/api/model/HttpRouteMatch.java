package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

@Schema(description = "What an HTTP route matches: prefix, path, query parameters, headers, method, scheme, port.")
public record HttpRouteMatch(
        @Size(min = 1, max = 10) List<@NotNull @Valid HttpRouteHeader> headers,
        HttpMethod method,
        @Valid HttpPathMatch path,
        @Min(1) @Max(65535) Integer port,
        @Schema(description = "Path prefix: starts with '/', holds no '?' or '#' (Envoy compares paths without the query string and fragment)")
        String prefix,
        @Size(min = 1, max = 10) List<@NotNull @Valid HttpQueryParameter> queryParameters,
        HttpScheme scheme) {
}
