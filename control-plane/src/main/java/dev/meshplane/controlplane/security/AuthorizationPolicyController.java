package dev.meshplane.controlplane.security;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.validation.RegexRules;
import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.resource.ResourceId;
import dev.meshplane.api.security.AuthorizationPolicyData;
import dev.meshplane.api.security.AuthorizationPolicySpec;
import dev.meshplane.api.validation.RequestDecoder;
import dev.meshplane.persistence.PolicyStore;
import dev.meshplane.persistence.ResourceStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Meshplane's authorization policies: which requests virtual nodes accept, enforced by their Envoy. */
@RestController
@RequestMapping("/v1/meshes/{meshName}/authorizationPolicies")
@Tag(name = "Authorization", description = "ALLOW and DENY policies on callers' mTLS identities, paths, methods, headers and addresses")
class AuthorizationPolicyController {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");

    private final ResourceStore resources;
    private final PolicyStore policies;
    private final dev.meshplane.controlplane.auth.Auditor auditor;

    AuthorizationPolicyController(ResourceStore resources, PolicyStore policies, dev.meshplane.controlplane.auth.Auditor auditor) {
        this.resources = resources;
        this.policies = policies;
        this.auditor = auditor;
    }

    @GetMapping
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "ListAuthorizationPolicies", summary = "The mesh's authorization policies, by name")
    Map<String, List<AuthorizationPolicyData>> list(@PathVariable String meshName) {
        resources.describe(ResourceId.mesh(meshName));
        return Map.of("authorizationPolicies", policies.list(meshName).stream().map(AuthorizationPolicyController::view).toList());
    }

    @GetMapping("/{policyName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "DescribeAuthorizationPolicy", summary = "One authorization policy")
    AuthorizationPolicyData describe(@PathVariable String meshName, @PathVariable String policyName) {
        resources.describe(ResourceId.mesh(meshName));
        return policies.get(meshName, policyName).map(AuthorizationPolicyController::view)
                .orElseThrow(() -> notFound(meshName, policyName));
    }

    @PutMapping("/{policyName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'admin')")
    @Operation(operationId = "PutAuthorizationPolicy", summary = "Creates an authorization policy or replaces its spec",
            description = "The target nodes' proxies are rebuilt at once. DENY wins over ALLOW; once an ALLOW policy"
                    + " targets a node, requests matching no ALLOW policy get 403; dryRun policies are only logged.")
    AuthorizationPolicyData put(@PathVariable String meshName, @PathVariable String policyName,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = AuthorizationPolicySpec.class)))
            @RequestBody(required = false) byte[] body) {
        if (!NAME.matcher(policyName).matches()) {
            throw ApiException.badRequest("policyName: must be 1 to 255 letters, digits, '.', '_' or '-', starting"
                    + " with a letter or digit");
        }
        resources.describe(ResourceId.mesh(meshName));
        AuthorizationPolicySpec spec = RequestDecoder.decode(body, AuthorizationPolicySpec.class);
        check(spec);
        String json = AppMeshJson.mapper().writeValueAsString(spec);
        return auditor.write(() -> policies.put(meshName, policyName, json), row -> new dev.meshplane.controlplane.auth.Auditor.Entry(
                        "PutAuthorizationPolicy", meshName, "authorizationPolicy/" + policyName,
                        row.map(r -> r.version() - 1).filter(v -> v > 0).orElse(null), row.map(PolicyStore.PolicyRow::version).orElse(null),
                        null))
                .map(AuthorizationPolicyController::view).orElseThrow(() -> ApiException.notFound(
                        "mesh '" + meshName + "' does not exist"));
    }

    @DeleteMapping("/{policyName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'admin')")
    @Operation(operationId = "DeleteAuthorizationPolicy", summary = "Deletes an authorization policy")
    AuthorizationPolicyData delete(@PathVariable String meshName, @PathVariable String policyName) {
        resources.describe(ResourceId.mesh(meshName));
        PolicyStore.PolicyRow deleted = auditor.write(() -> policies.delete(meshName, policyName)
                        .orElseThrow(() -> notFound(meshName, policyName)),
                row -> new dev.meshplane.controlplane.auth.Auditor.Entry("DeleteAuthorizationPolicy", meshName,
                        "authorizationPolicy/" + policyName, row.version(), null, null));
        return view(deleted);
    }

    /** What the model's constraints cannot say: one way to match a header, RE2 Envoy loads, valid CIDR blocks. */
    static void check(AuthorizationPolicySpec spec) {
        for (int r = 0; r < spec.rules().size(); r++) {
            var rule = spec.rules().get(r);
            String at = "rules[" + r + "]";
            if (rule.from() != null && rule.from().ipBlocks() != null) {
                for (int i = 0; i < rule.from().ipBlocks().size(); i++) {
                    cidr(at + ".from.ipBlocks[" + i + "]", rule.from().ipBlocks().get(i));
                }
            }
            if (rule.to() != null && rule.to().headers() != null) {
                for (int h = 0; h < rule.to().headers().size(); h++) {
                    var header = rule.to().headers().get(h);
                    String member = at + ".to.headers[" + h + "]";
                    long ways = java.util.stream.Stream.of(header.exact(), header.prefix(), header.regex(), header.present())
                            .filter(java.util.Objects::nonNull).count();
                    if (ways != 1) {
                        throw ApiException.badRequest(member + ": exactly one of [exact, prefix, regex, present] must be set");
                    }
                    if (!header.name().matches("[0-9A-Za-z!#$%&'*+\\-.^_`|~]+")) {
                        throw ApiException.badRequest(member + ".name: '" + header.name() + "' is not an HTTP header name");
                    }
                    String regexProblem = header.regex() == null ? null : RegexRules.problem(header.regex());
                    if (regexProblem != null) {
                        throw ApiException.badRequest(member + ".regex: " + regexProblem);
                    }
                }
            }
        }
    }

    /** Envoy refuses the listener for a range its own address parser refuses (IpLiterals says how it reads them). */
    private static void cidr(String member, String block) {
        String problem = dev.meshplane.api.validation.IpLiterals.cidr(block);
        if (problem != null) {
            throw ApiException.badRequest(member + ": " + problem);
        }
    }

    private static ApiException notFound(String mesh, String name) {
        return ApiException.notFound("authorization policy '" + name + "' does not exist in mesh '" + mesh + "'");
    }

    private static AuthorizationPolicyData view(PolicyStore.PolicyRow row) {
        return new AuthorizationPolicyData(row.mesh(), row.name(),
                AppMeshJson.mapper().readValue(row.specJson(), AuthorizationPolicySpec.class), row.version(),
                row.createdAt(), row.updatedAt());
    }
}
