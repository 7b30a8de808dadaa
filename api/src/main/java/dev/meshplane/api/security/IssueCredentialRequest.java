package dev.meshplane.api.security;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code POST /v1/tokens} and {@code POST /v1/accessKeys}: who the credential is for and what it may do. */
@Schema(description = "A credential to issue: its name, its role on the meshes it names, and when it expires.")
public record IssueCredentialRequest(
        @Schema(description = "Who or what uses it, e.g. ci-pipeline") @NotBlank @Size(max = 255) String name,
        @Schema(description = "admin, editor or viewer") @NotNull String role,
        @Schema(description = "Mesh names, or [\"*\"] for every mesh") @NotNull @Size(min = 1, max = 1000)
        List<@NotNull @Size(min = 1, max = 255) String> meshes,
        @Schema(description = "Lifetime in seconds, 60 to 31622400; none means it does not expire") Long expiresInSeconds) {
}
