package dev.meshplane.api.model;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

@Schema(description = "Subject alternative names a peer certificate is checked against.")
public record SubjectAlternativeNames(
        @NotNull @Valid SubjectAlternativeNameMatchers match) {
}
