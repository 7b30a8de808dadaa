package dev.meshplane.controlplane.security;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.validation.AuthorizationPolicyRules;
import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.security.AuthorizationPolicyData;
import dev.meshplane.api.security.AuthorizationPolicySpec;
import dev.meshplane.controlplane.auth.Auditor;
import dev.meshplane.persistence.PolicyStore;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * Writes and reads authorization policies: their name check, the spec check ({@link AuthorizationPolicyRules}),
 * the store, and the audit entry of each change. The REST handlers and declarative apply both write through it.
 */
@Service
public class AuthorizationPolicies {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");

    private final PolicyStore policies;
    private final Auditor auditor;

    AuthorizationPolicies(PolicyStore policies, Auditor auditor) {
        this.policies = policies;
        this.auditor = auditor;
    }

    /** 400 unless the name is 1 to 255 letters, digits, '.', '_' or '-', starting with a letter or digit. */
    public static void checkName(String policyName) {
        if (!NAME.matcher(policyName).matches()) {
            throw ApiException.badRequest("policyName: must be 1 to 255 letters, digits, '.', '_' or '-', starting"
                    + " with a letter or digit");
        }
    }

    /**
     * Creates the policy or replaces its spec, with its audit entry, in the caller's transaction if there is one.
     *
     * @throws ApiException 400 for a spec {@link AuthorizationPolicyRules#check} refuses, 404 when the mesh does not exist
     */
    public AuthorizationPolicyData put(String meshName, String policyName, AuthorizationPolicySpec spec) {
        AuthorizationPolicyRules.check(spec);
        String json = AppMeshJson.mapper().writeValueAsString(spec);
        return auditor.write(() -> policies.put(meshName, policyName, json), row -> new Auditor.Entry(
                        "PutAuthorizationPolicy", meshName, "authorizationPolicy/" + policyName,
                        row.map(r -> r.version() - 1).filter(v -> v > 0).orElse(null), row.map(PolicyStore.PolicyRow::version).orElse(null),
                        null))
                .map(AuthorizationPolicies::view).orElseThrow(() -> ApiException.notFound(
                        "mesh '" + meshName + "' does not exist"));
    }

    /** Deletes the policy, with its audit entry; 404 when it does not exist. */
    public AuthorizationPolicyData delete(String meshName, String policyName) {
        PolicyStore.PolicyRow deleted = auditor.write(() -> policies.delete(meshName, policyName)
                        .orElseThrow(() -> notFound(meshName, policyName)),
                row -> new Auditor.Entry("DeleteAuthorizationPolicy", meshName,
                        "authorizationPolicy/" + policyName, row.version(), null, null));
        return view(deleted);
    }

    /** The mesh's policies, by name. */
    public List<AuthorizationPolicyData> list(String meshName) {
        return policies.list(meshName).stream().map(AuthorizationPolicies::view).toList();
    }

    /** One policy; 404 when it does not exist. */
    public AuthorizationPolicyData get(String meshName, String policyName) {
        return policies.get(meshName, policyName).map(AuthorizationPolicies::view)
                .orElseThrow(() -> notFound(meshName, policyName));
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
