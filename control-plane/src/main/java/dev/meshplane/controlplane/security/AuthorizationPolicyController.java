package dev.meshplane.controlplane.security;

import dev.meshplane.api.resource.ResourceId;
import dev.meshplane.api.security.AuthorizationPolicyData;
import dev.meshplane.api.security.AuthorizationPolicySpec;
import dev.meshplane.api.validation.RequestDecoder;
import dev.meshplane.persistence.ResourceStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
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

    private final ResourceStore resources;
    private final AuthorizationPolicies policies;

    AuthorizationPolicyController(ResourceStore resources, AuthorizationPolicies policies) {
        this.resources = resources;
        this.policies = policies;
    }

    @GetMapping
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "ListAuthorizationPolicies", summary = "The mesh's authorization policies, by name")
    Map<String, List<AuthorizationPolicyData>> list(@PathVariable String meshName) {
        resources.describe(ResourceId.mesh(meshName));
        return Map.of("authorizationPolicies", policies.list(meshName));
    }

    @GetMapping("/{policyName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "DescribeAuthorizationPolicy", summary = "One authorization policy")
    AuthorizationPolicyData describe(@PathVariable String meshName, @PathVariable String policyName) {
        resources.describe(ResourceId.mesh(meshName));
        return policies.get(meshName, policyName);
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
        AuthorizationPolicies.checkName(policyName);
        resources.describe(ResourceId.mesh(meshName));
        return policies.put(meshName, policyName, RequestDecoder.decode(body, AuthorizationPolicySpec.class));
    }

    @DeleteMapping("/{policyName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'admin')")
    @Operation(operationId = "DeleteAuthorizationPolicy", summary = "Deletes an authorization policy")
    AuthorizationPolicyData delete(@PathVariable String meshName, @PathVariable String policyName) {
        resources.describe(ResourceId.mesh(meshName));
        return policies.delete(meshName, policyName);
    }
}
