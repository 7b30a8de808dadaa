package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

@Schema(description = "Ejects endpoints that keep failing, for a while.")
public record OutlierDetection(
        @NotNull @Valid Duration baseEjectionDuration,
        @NotNull @Valid Duration interval,
        @NotNull @Min(0) @Max(100) Integer maxEjectionPercent,
        @NotNull @Min(1) Long maxServerErrors) {
}
