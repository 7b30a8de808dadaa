package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

@Schema(description = "An integer range: start inclusive, end exclusive.")
public record MatchRange(
        @NotNull Long end,
        @NotNull Long start) {
}
