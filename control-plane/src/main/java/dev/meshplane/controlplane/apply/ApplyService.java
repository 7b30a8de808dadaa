package dev.meshplane.controlplane.apply;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.model.TagRef;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.api.resource.ResourceId;
import dev.meshplane.api.resource.ResourceKind;
import dev.meshplane.api.resource.SpecReferences;
import dev.meshplane.controlplane.appmesh.ResourceService;
import dev.meshplane.controlplane.appmesh.ResourceViews;
import dev.meshplane.controlplane.authorization.MeshPermissionEvaluator;
import dev.meshplane.persistence.ResourceStore;
import dev.meshplane.persistence.SpecRow;
import dev.meshplane.persistence.StoredResource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Declarative apply: brings the named meshes (their App Mesh resources and, through {@link PolicyApply},
 * their authorization policies) to the state a document describes, in one transaction or not at all. It plans against what is stored (each resource created, updated with its field changes,
 * unchanged, or, with prune, deleted), checks the caller may do exactly that, then carries the plan out
 * through {@link ResourceService}'s Create, Update and Delete (the same validation, reference, quota,
 * audit and {@code mesh_changed} notification as each operation), in dependency order. Versions are
 * checked: each resource must still be at the version the plan read (or the one the document names),
 * and a resource whose tags the document gives must still have the tags the plan read (a tag change
 * leaves the version as it is), once its mesh is locked for writing, or the apply is a ConflictException
 * that changes nothing.
 */
@Service
public class ApplyService {

    /**
     * Creation order, which every reference respects: a route needs its router and target nodes, a
     * virtual service its provider, a gateway route its gateway and target service. Backends are not
     * dependencies (App Mesh lets them name services that do not exist yet), so no cycle can form.
     */
    static final List<ResourceKind> ORDER = List.of(ResourceKind.MESH, ResourceKind.VIRTUAL_NODE,
            ResourceKind.VIRTUAL_ROUTER, ResourceKind.VIRTUAL_GATEWAY, ResourceKind.ROUTE,
            ResourceKind.VIRTUAL_SERVICE, ResourceKind.GATEWAY_ROUTE);

    /** What one step does. */
    enum Action {
        CREATED, UPDATED, UNCHANGED, DELETED
    }

    /**
     * One step of the plan: the resource (null for a deletion by prune), its row as planned against
     * (null for a creation), whether its spec changes, and its field changes.
     */
    record Step(Action action, ResourceId id, DesiredResource desired, SpecRow planned, boolean specChanges,
            Map<String, String> tagsBefore, List<FieldChange> changes) {

        String label() {
            return desired != null ? desired.label() : "prune (" + id.describe() + ")";
        }
    }

    private final ResourceService service;
    private final ResourceStore store;
    private final ResourceViews views;
    private final MeshPermissionEvaluator permissions;
    private final TransactionTemplate transactions;
    private final PolicyApply policyApply;

    ApplyService(ResourceService service, ResourceStore store, ResourceViews views, MeshPermissionEvaluator permissions,
            PlatformTransactionManager transactions, PolicyApply policyApply) {
        this.service = service;
        this.policyApply = policyApply;
        this.store = store;
        this.views = views;
        this.permissions = permissions;
        this.transactions = new TransactionTemplate(transactions);
    }

    /**
     * Plans and applies a document's resources.
     *
     * @param desired  the document's App Mesh resources ({@link ApplyRequestReader#read})
     * @param policies the document's authorization policies
     * @param dryRun  plan, and run every write's checks, but store nothing
     * @param prune   also delete what the named meshes hold and the document does not
     * @return the plan as carried out (or as it would be)
     * @throws ApiException BadRequestException for a reference to a resource that neither exists nor is in the
     *     document, or any refusal of the Create, Update or Delete it runs (named by {@code resources[i]});
     *     ConflictException when a resource is not at the version planned against or expected
     * @throws dev.meshplane.controlplane.authorization.Refusal 403 when the caller may not read a named mesh or
     *     make one of the planned changes
     */
    public ApplyResult apply(List<DesiredResource> desired, List<DesiredPolicy> policies, boolean dryRun, boolean prune) {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        Set<String> meshes = desired.stream().map(d -> d.id().mesh()).collect(Collectors.toCollection(TreeSet::new));
        policies.forEach(p -> meshes.add(p.mesh()));
        // the plan shows what these meshes hold
        meshes.forEach(mesh -> permissions.hasPermission(caller, mesh, "mesh", "viewer"));
        Map<ResourceId, SpecRow> stored = read(meshes);
        List<Step> plan = plan(desired, stored, prune);
        Set<ResourceId> given = desired.stream().map(DesiredResource::id).collect(Collectors.toSet());
        List<PolicyApply.Step> policySteps = policyApply.plan(policies, meshes,
                mesh -> stored.containsKey(ResourceId.mesh(mesh)) || given.contains(ResourceId.mesh(mesh)), prune);
        authorize(caller, plan);
        policyApply.authorize(caller, policySteps);
        List<PlanEntry> entries = transactions.execute(status -> {
            // a node's new listener and its routes' new target ports may come in either order: check them once all are written
            List<PlanEntry> done = store.writingTogether(() -> carryOut(plan, policySteps, meshes));
            if (dryRun) {
                status.setRollbackOnly();
            }
            return done;
        });
        return new ApplyResult(dryRun, prune, entries, List.of());
    }

    private List<Step> plan(List<DesiredResource> desired, Map<ResourceId, SpecRow> stored, boolean prune) {
        Set<ResourceId> given = desired.stream().map(DesiredResource::id).collect(Collectors.toSet());
        List<Step> steps = new ArrayList<>();
        for (DesiredResource d : desired) {
            SpecRow row = stored.get(d.id());
            if (d.version() != null && (row == null || row.version() != d.version())) {
                throw ApiException.conflict(d.label() + ": version: the document expects version " + d.version()
                        + ", but it " + (row == null ? "does not exist" : "is at version " + row.version())
                        + "; nothing was applied");
            }
            checkReferences(d, stored, given, prune);
            if (row == null) {
                steps.add(new Step(Action.CREATED, d.id(), d, null, true, null, List.of()));
                continue;
            }
            JsonNode before = AppMeshJson.mapper().readTree(row.specJson());
            // the spec's text as the store would write it, read back as the stored one is (numbers typed alike)
            JsonNode after = AppMeshJson.mapper().readTree(AppMeshJson.mapper().writeValueAsString(d.spec()));
            List<FieldChange> changes = new ArrayList<>(FieldDiff.of("spec", before, after));
            boolean specChanges = !changes.isEmpty();
            Map<String, String> tagsBefore = null;
            if (d.tags() != null) {
                tagsBefore = service.describe(d.id()).tags();
                changes.addAll(FieldDiff.ofTags(tagsBefore, tagMap(d)));
            }
            steps.add(new Step(changes.isEmpty() ? Action.UNCHANGED : Action.UPDATED, d.id(), d, row, specChanges,
                    tagsBefore, changes));
        }
        steps.sort(Comparator.comparingInt(s -> ORDER.indexOf(s.id().kind())));
        if (prune) {
            List<Step> deletions = new ArrayList<>();
            stored.forEach((id, row) -> {
                if (id.kind() != ResourceKind.MESH && !given.contains(id)) {
                    deletions.add(new Step(Action.DELETED, id, null, row, false, null, List.of()));
                }
            });
            deletions.sort(Comparator.<Step>comparingInt(s -> -ORDER.indexOf(s.id().kind()))
                    .thenComparing(s -> s.id().parent()).thenComparing(s -> s.id().name()));
            steps.addAll(deletions);
        }
        return steps;
    }

    /** Every resource a resource needs (mesh, router or gateway, the resources its spec names) exists after the apply. */
    private static void checkReferences(DesiredResource d, Map<ResourceId, SpecRow> stored, Set<ResourceId> given,
            boolean prune) {
        ResourceId id = d.id();
        if (id.kind() == ResourceKind.MESH) {
            return;
        }
        Map<String, ResourceId> needed = new LinkedHashMap<>();
        needed.put("meshName", ResourceId.mesh(id.mesh()));
        if (id.parentId() != null) {
            needed.put(id.kind().parent().arnSegment() + "Name", id.parentId());
        }
        for (SpecReferences.Reference ref : SpecReferences.of(d.spec())) {
            needed.put(ref.member(), ResourceId.of(ref.kind(), id.mesh(), ref.name()));
        }
        needed.forEach((member, target) -> {
            if (given.contains(target) || target.kind() == ResourceKind.MESH && stored.containsKey(target)
                    || !prune && stored.containsKey(target)) {
                return;
            }
            String where = target.kind() == ResourceKind.MESH ? "mesh '" + target.mesh() + "'"
                    : target.kind().displayName() + " '" + target.name() + "'";
            throw ApiException.badRequest(d.label() + ": " + member + ": " + where + (stored.containsKey(target)
                    ? " is not in the document, and prune would delete it"
                    : target.kind() == ResourceKind.MESH ? " does not exist and is not in the document"
                    : " does not exist in mesh '" + id.mesh() + "' and is not in the document"));
        });
    }

    /** The permission each step needs, from the one evaluator every handler uses. */
    private void authorize(Authentication caller, List<Step> plan) {
        for (Step step : plan) {
            if (step.action() == Action.UNCHANGED) {
                continue;
            }
            String mesh = step.id().mesh();
            if (step.id().kind() == ResourceKind.MESH) {
                // CreateMesh and UpdateMesh's own rules; a tag change alone is TagResource's (editor)
                if (step.action() == Action.CREATED) {
                    permissions.hasPermission(caller, null, "allMeshes", "admin");
                } else {
                    permissions.hasPermission(caller, mesh, "mesh", step.specChanges() ? "admin" : "editor");
                }
                continue;
            }
            permissions.hasPermission(caller, mesh, "mesh", "editor");
            if (step.id().kind() == ResourceKind.VIRTUAL_NODE && step.specChanges() && step.action() != Action.DELETED) {
                VirtualNodeSpec before = step.planned() == null ? null
                        : AppMeshJson.mapper().readValue(step.planned().specJson(), VirtualNodeSpec.class);
                permissions.checkRegistrySelection(mesh, before, (VirtualNodeSpec) step.desired().spec());
            }
        }
    }

    /**
     * Inside the transaction: lock the meshes, check nothing moved since planning, then write step by step:
     * resources created and updated, policies, then resources deleted.
     */
    private List<PlanEntry> carryOut(List<Step> plan, List<PolicyApply.Step> policySteps, Set<String> meshes) {
        store.lockMeshes(meshes);
        Map<ResourceId, SpecRow> now = read(meshes);
        for (Step step : plan) {
            SpecRow current = now.get(step.id());
            boolean moved = step.planned() == null ? current != null
                    : current == null || current.version() != step.planned().version();
            if (moved) {
                throw ApiException.conflict(step.label() + ": changed while this apply was planned ("
                        + (step.planned() == null ? "it did not exist, now it does at version " + current.version()
                                : current == null ? "it was at version " + step.planned().version() + ", now it is deleted"
                                : "version " + step.planned().version() + ", now " + current.version())
                        + "): another writer got there first; nothing was applied, plan again");
            }
            // a tag change (TagResource) leaves the version as it is: the tags planned against are compared themselves
            if (step.tagsBefore() != null && !store.describe(step.id()).tags().equals(step.tagsBefore())) {
                throw ApiException.conflict(step.label() + ": its tags changed while this apply was planned: another"
                        + " writer got there first; nothing was applied, plan again");
            }
        }
        policyApply.checkUnmoved(policySteps, meshes);
        List<PlanEntry> entries = new ArrayList<>();
        for (Step step : plan) {
            if (step.action() != Action.DELETED) {
                entries.add(labelled(step.label(), () -> write(step)));
            }
        }
        for (PolicyApply.Step step : policySteps) {
            entries.add(labelled(step.label(), () -> policyApply.write(step)));
        }
        for (Step step : plan) {
            if (step.action() == Action.DELETED) {
                entries.add(labelled(step.label(), () -> write(step)));
            }
        }
        return entries;
    }

    /** A write whose refusal names the step it refuses. */
    private static PlanEntry labelled(String label, java.util.function.Supplier<PlanEntry> write) {
        try {
            return write.get();
        } catch (ApiException e) {
            throw new ApiException(e.code(), label + ": " + e.getMessage());
        }
    }

    private PlanEntry write(Step step) {
        ResourceId id = step.id();
        DesiredResource d = step.desired();
        Long before = step.planned() == null ? null : step.planned().version();
        Long after = before;
        switch (step.action()) {
            case CREATED -> after = service.create(id, d.spec(), null, d.tags(), d.request()).version();
            case UPDATED -> {
                if (step.specChanges()) {
                    after = service.update(id, d.spec(), null, before, d.request()).version();
                }
                if (d.tags() != null) {
                    retag(id, step.tagsBefore(), tagMap(d));
                }
            }
            case DELETED -> {
                service.delete(id, before);
                after = null;
            }
            default -> {
            }
        }
        return new PlanEntry(step.action().name().toLowerCase(java.util.Locale.ROOT), d == null ? null : d.index(),
                ApplyRequestReader.kindName(id.kind()), id.mesh(), id.parent().isEmpty() ? null : id.parent(), id.name(),
                before, after, step.changes());
    }

    private void retag(ResourceId id, Map<String, String> before, Map<String, String> after) {
        List<String> removed = before.keySet().stream().filter(k -> !after.containsKey(k)).sorted().toList();
        List<TagRef> set = after.entrySet().stream().filter(e -> !e.getValue().equals(before.get(e.getKey())))
                .map(e -> new TagRef(e.getKey(), e.getValue())).toList();
        if (!removed.isEmpty()) {
            service.untag(views.arn(id), removed);
        }
        if (!set.isEmpty()) {
            service.tag(views.arn(id), set);
        }
    }

    /** Every resource of the meshes, by id. */
    private Map<ResourceId, SpecRow> read(Set<String> meshes) {
        Map<ResourceId, SpecRow> rows = new HashMap<>();
        for (String mesh : meshes) {
            for (SpecRow row : store.specs(mesh)) {
                rows.put(new ResourceId(row.kind(), mesh, row.parent(), row.name()), row);
            }
        }
        return rows;
    }

    /** The tags a resource must carry, by key; a key given twice is refused, as CreateX refuses it. */
    private static Map<String, String> tagMap(DesiredResource d) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < d.tags().size(); i++) {
            if (map.put(d.tags().get(i).key(), d.tags().get(i).value()) != null) {
                throw ApiException.badRequest(d.label() + ": tags[" + i + "].key: '" + d.tags().get(i).key()
                        + "' appears more than once");
            }
        }
        return map;
    }
}
