package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

@Schema(description = "The weighted virtual nodes a TCP route sends traffic to.")
public record TcpRouteAction(
        @NotNull @Size(min = 1, max = 10) List<@NotNull @Valid WeightedTarget> weightedTargets) {
}
