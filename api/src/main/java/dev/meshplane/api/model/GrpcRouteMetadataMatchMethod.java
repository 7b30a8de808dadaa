package dev.meshplane.api.model;

import dev.meshplane.api.validation.ExactlyOneMember;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

@Schema
@ExactlyOneMember
public record GrpcRouteMetadataMatchMethod(
        @Size(min = 1, max = 255) String exact,
        @Size(min = 1, max = 255) String prefix,
        @Valid MatchRange range,
        @Size(min = 1, max = 255) String regex,
        @Size(min = 1, max = 255) String suffix) {
}
