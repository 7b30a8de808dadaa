package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

@Schema(description = "Matches the path exactly or by a regular expression.")
public record HttpPathMatch(
        @Schema(description = "The exact path: starts with '/', holds no '?' or '#' (Envoy compares paths without the query string and fragment)")
        @Size(min = 1, max = 255) String exact,
        @Size(min = 1, max = 255) String regex) {
}
