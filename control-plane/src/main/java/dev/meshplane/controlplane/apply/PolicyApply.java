package dev.meshplane.controlplane.apply;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.security.AuthorizationPolicyData;
import dev.meshplane.controlplane.authorization.MeshPermissionEvaluator;
import dev.meshplane.controlplane.security.AuthorizationPolicies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The authorization policy part of an apply: planned against the stored policies of the named meshes,
 * decided with PutAuthorizationPolicy's and DeleteAuthorizationPolicy's rule (admin on the mesh), written
 * through {@link AuthorizationPolicies} as those operations write. {@link ApplyService} runs it between
 * the resources' creations and updates and their deletions.
 */
@Component
class PolicyApply {

    static final String KIND = "AuthorizationPolicy";

    /** One policy step: the policy (null for a deletion by prune), the stored policy planned against (null to create). */
    record Step(ApplyService.Action action, String mesh, String name, DesiredPolicy desired,
            AuthorizationPolicyData planned, List<FieldChange> changes) {

        String label() {
            return desired != null ? desired.label() : "prune (authorization policy '" + name + "' in mesh '" + mesh + "')";
        }
    }

    private final AuthorizationPolicies policies;
    private final MeshPermissionEvaluator permissions;

    PolicyApply(AuthorizationPolicies policies, MeshPermissionEvaluator permissions) {
        this.policies = policies;
        this.permissions = permissions;
    }

    /**
     * The steps: each policy created, updated or unchanged, then with prune the named meshes' other policies deleted.
     *
     * @param meshExists whether a mesh exists or is created by the document
     * @throws ApiException 409 when a policy is not at the version the document names, 400 when its mesh will not exist
     */
    List<Step> plan(List<DesiredPolicy> desired, Set<String> meshes, Predicate<String> meshExists, boolean prune) {
        Map<String, AuthorizationPolicyData> stored = read(meshes);
        List<Step> steps = new ArrayList<>();
        for (DesiredPolicy d : desired) {
            if (!meshExists.test(d.mesh())) {
                throw ApiException.badRequest(d.label() + ": meshName: mesh '" + d.mesh()
                        + "' does not exist and is not in the document");
            }
            AuthorizationPolicyData row = stored.remove(d.mesh() + "/" + d.name());
            if (d.version() != null && (row == null || row.version() != d.version())) {
                throw ApiException.conflict(d.label() + ": version: the document expects version " + d.version()
                        + ", but it " + (row == null ? "does not exist" : "is at version " + row.version())
                        + "; nothing was applied");
            }
            if (row == null) {
                steps.add(new Step(ApplyService.Action.CREATED, d.mesh(), d.name(), d, null, List.of()));
                continue;
            }
            List<FieldChange> changes = FieldDiff.of("spec", tree(row.spec()), tree(d.spec()));
            steps.add(new Step(changes.isEmpty() ? ApplyService.Action.UNCHANGED : ApplyService.Action.UPDATED,
                    d.mesh(), d.name(), d, row, changes));
        }
        if (prune) {
            stored.values().stream().sorted(java.util.Comparator.comparing(AuthorizationPolicyData::meshName)
                    .thenComparing(AuthorizationPolicyData::policyName)).forEach(row -> steps.add(new Step(
                    ApplyService.Action.DELETED, row.meshName(), row.policyName(), null, row, List.of())));
        }
        return steps;
    }

    /** Every change takes admin on its mesh, as PutAuthorizationPolicy and DeleteAuthorizationPolicy do. */
    void authorize(Authentication caller, List<Step> steps) {
        steps.stream().filter(s -> s.action() != ApplyService.Action.UNCHANGED)
                .forEach(s -> permissions.hasPermission(caller, s.mesh(), "mesh", "admin"));
    }

    /** Inside the locked transaction: 409 when a policy moved since planning. */
    void checkUnmoved(List<Step> steps, Set<String> meshes) {
        Map<String, AuthorizationPolicyData> now = read(meshes);
        for (Step step : steps) {
            AuthorizationPolicyData current = now.get(step.mesh() + "/" + step.name());
            boolean moved = step.planned() == null ? current != null
                    : current == null || current.version() != step.planned().version();
            if (moved) {
                throw ApiException.conflict(step.label() + ": changed while this apply was planned: another writer got"
                        + " there first; nothing was applied, plan again");
            }
        }
    }

    PlanEntry write(Step step) {
        Long before = step.planned() == null ? null : step.planned().version();
        Long after = switch (step.action()) {
            case CREATED, UPDATED -> policies.put(step.mesh(), step.name(), step.desired().spec()).version();
            case DELETED -> {
                policies.delete(step.mesh(), step.name());
                yield null;
            }
            default -> before;
        };
        return new PlanEntry(step.action().name().toLowerCase(java.util.Locale.ROOT),
                step.desired() == null ? null : step.desired().index(), KIND, step.mesh(), null, step.name(), before,
                after, step.changes());
    }

    private Map<String, AuthorizationPolicyData> read(Set<String> meshes) {
        Map<String, AuthorizationPolicyData> rows = new HashMap<>();
        meshes.forEach(mesh -> policies.list(mesh).forEach(p -> rows.put(mesh + "/" + p.policyName(), p)));
        return rows;
    }

    private static JsonNode tree(Object spec) {
        return AppMeshJson.mapper().readTree(AppMeshJson.mapper().writeValueAsString(spec));
    }
}
