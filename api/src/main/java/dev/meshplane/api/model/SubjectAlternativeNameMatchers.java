package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

@Schema(description = "Subject alternative names a peer certificate must carry (exact match).")
public record SubjectAlternativeNameMatchers(
        @NotNull List<@NotNull @Size(min = 1, max = 254) String> exact) {
}
