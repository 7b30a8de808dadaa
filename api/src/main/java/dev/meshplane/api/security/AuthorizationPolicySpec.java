package dev.meshplane.api.security;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Meshplane's authorization policy: which requests the target virtual nodes accept. DENY policies
 * win over ALLOW ones; once any ALLOW policy targets a node, a request must match one of them.
 */
@Schema(description = "Which requests the target virtual nodes accept, enforced by their Envoy (RBAC), or by their"
        + " xDS-enabled gRPC servers (gRPC RBAC), on the caller's"
        + " SPIFFE identity from mTLS, the request's path, method and headers, and the source address."
        + " A request matches the policy when it matches any rule. DENY policies win; once an ALLOW policy targets a"
        + " node, requests matching no ALLOW policy are refused with 403. dryRun: evaluated and logged, never enforced.")
public record AuthorizationPolicySpec(
        @Schema(description = "The virtual nodes the policy applies to") @NotNull @Valid Targets targets,
        @Schema(description = "ALLOW or DENY") @NotNull Action action,
        @Schema(description = "The requests the policy matches: any of these rules") @NotNull @Size(min = 1, max = 50)
        List<@NotNull @Valid Rule> rules,
        @Schema(description = "Evaluate and log what would be denied, but enforce nothing: Envoy's shadow rules and a"
                + " stdout line per request they would deny; on gRPC servers an allow-all RBAC filter whose matching"
                + " policy, logged by grpc-java at FINE under io.grpc.xds.RbacFilter, names the rule that would deny")
        Boolean dryRun) {

    public enum Action {
        ALLOW, DENY;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireValue() {
            return name();
        }
    }

    /** The nodes a policy applies to. */
    public record Targets(
            @Schema(description = "Virtual node names; \"*\" for every node of the mesh") @NotNull @Size(min = 1, max = 50)
            List<@NotNull @Size(min = 1, max = 255) String> virtualNodes) {
    }

    /** A request the policy matches: from these sources, to these operations (either may be left out). */
    public record Rule(
            @Schema(description = "Who calls; absent: anyone") @Valid Source from,
            @Schema(description = "What is called; absent: anything") @Valid Operation to) {
    }

    /** Callers, by mTLS identity or address; a request matches when it matches any of them. */
    public record Source(
            @Schema(description = "Calling virtual nodes (by SPIFFE id spiffe://<mesh>/virtualNode/<name>)")
            @Size(max = 50) List<@NotNull @Size(min = 1, max = 255) String> virtualNodes,
            @Schema(description = "Calling virtual gateways (spiffe://<mesh>/virtualGateway/<name>)")
            @Size(max = 50) List<@NotNull @Size(min = 1, max = 255) String> virtualGateways,
            @Schema(description = "Any authenticated mesh identity") Boolean anyMeshIdentity,
            @Schema(description = "Source address ranges in CIDR notation, such as 10.0.0.0/8")
            @Size(max = 50) List<@NotNull @Size(min = 1, max = 64) String> ipBlocks) {
    }

    /** What is called: any of the paths or prefixes, any of the methods, and every header condition. */
    public record Operation(
            @Schema(description = "Exact paths, compared without the request's query string and fragment (a '?' or '#'"
                    + " is refused: Envoy would match no request)")
            @Size(max = 50) List<@NotNull @Pattern(regexp = "/.*") String> paths,
            @Schema(description = "Path prefixes, compared as paths are (no '?' or '#')")
            @Size(max = 50) List<@NotNull @Pattern(regexp = "/.*") String> prefixes,
            @Schema(description = "HTTP methods, such as GET") @Size(max = 20)
            List<@NotNull @Pattern(regexp = "[A-Z]{1,20}") String> methods,
            @Schema(description = "Header conditions, all of which must hold") @Size(max = 20) List<@NotNull @Valid HeaderCondition> headers) {
    }

    /** A header and one way to match its value. */
    public record HeaderCondition(
            @Schema(description = "Header name") @NotNull @Size(min = 1, max = 100) String name,
            @Schema(description = "The value, exactly") String exact,
            @Schema(description = "A prefix of the value, not empty (use present to match any value)") String prefix,
            @Schema(description = "An RE2 regular expression the whole value matches")
            @Size(min = 1, max = 255) String regex,
            @Schema(description = "Whether the header is present (true) or absent (false)") Boolean present) {
    }
}
