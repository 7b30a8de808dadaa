package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Min;

@Schema(description = "A length of time: a value and its unit.")
public record Duration(
        DurationUnit unit,
        @Min(0) Long value) {
}
