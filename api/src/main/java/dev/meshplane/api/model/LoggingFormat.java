package dev.meshplane.api.model;

import dev.meshplane.api.validation.ExactlyOneMember;
import dev.meshplane.api.validation.MultiLineText;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

@Schema(description = "Format of an access log line: text or JSON.")
@ExactlyOneMember
public record LoggingFormat(
        List<@NotNull @Valid JsonFormatRef> json,
        @MultiLineText @Size(min = 1, max = 1000) String text) {
}
