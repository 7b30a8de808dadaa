package dev.meshplane.api.security;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /v1/meshes/{mesh}/proxyTokens}: the one node or gateway whose proxies the token is for. */
@Schema(description = "Exactly one of virtualNode and virtualGateway, and an optional lifetime.")
public record IssueProxyTokenRequest(
        @Size(min = 1, max = 255) String virtualNode,
        @Size(min = 1, max = 255) String virtualGateway,
        @Schema(description = "Lifetime in seconds, 60 to 31622400; meshplane.security.proxy-token-lifetime when absent")
        Long expiresInSeconds) {
}
