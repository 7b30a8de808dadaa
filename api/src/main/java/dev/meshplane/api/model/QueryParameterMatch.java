package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;

@Schema(description = "Matches a query parameter's value exactly.")
public record QueryParameterMatch(
        String exact) {
}
