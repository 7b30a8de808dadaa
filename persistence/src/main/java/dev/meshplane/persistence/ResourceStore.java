package dev.meshplane.persistence;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.error.ErrorCode;
import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.model.GatewayRouteSpec;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.VirtualGatewaySpec;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.api.model.VirtualRouterSpec;
import dev.meshplane.api.model.VirtualServiceSpec;
import dev.meshplane.api.resource.ResourceId;
import dev.meshplane.api.resource.ResourceKind;
import dev.meshplane.api.resource.RouteListenerFit;
import dev.meshplane.api.resource.SpecReferences;
import dev.meshplane.api.resource.TargetPortFit;
import dev.meshplane.api.resource.SpecReferences.Reference;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The transactional store of App Mesh resources. Every write in a mesh first locks that mesh's
 * revision row, so writes in one mesh are serialised: versions never skip or repeat, reference and
 * quota checks see exactly what is committed, and the revision is bumped and {@code pg_notify}
 * sent in the same transaction as the change.
 */
@Service
@Transactional
public class ResourceStore {

    /** The notification channel; the payload is the mesh name. */
    public static final String CHANNEL = "mesh_changed";

    private final ResourceRepository resources;
    private final MeshRevisionRepository revisions;
    private final StoreLimits limits;
    /** The resources updated by {@link #writingTogether}'s writes so far, whose dependents it checks at the end. */
    private final ThreadLocal<Set<ResourceId>> deferredDependents = new ThreadLocal<>();

    public ResourceStore(ResourceRepository resources, MeshRevisionRepository revisions, StoreLimits limits) {
        this.resources = resources;
        this.revisions = revisions;
        this.limits = limits;
    }

    /** A write's payload: the spec as JSON, the spec itself (for references and quotas), and idempotency data. */
    public record Write(String specJson, Object spec, String clientToken, String requestHash) {
    }

    public StoredResource create(ResourceId id, Write write, Map<String, String> tags) {
        MeshRevisionEntity revision;
        if (id.kind() == ResourceKind.MESH) {
            revisions.lockMeshCreation();
            revisions.ensureExists(id.mesh());
            revision = revisions.lock(id.mesh()).orElseThrow();
        } else {
            revision = lockExistingMesh(id.mesh());
            if (id.parentId() != null) {
                find(id.parentId());
            }
        }
        var existing = resources.findByKindAndMeshNameAndParentNameAndName(id.kind(), id.mesh(), id.parent(), id.name());
        if (existing.isPresent()) {
            ResourceEntity e = existing.get();
            if (write.clientToken() != null && write.clientToken().equals(e.getClientToken())
                    && write.requestHash().equals(e.getRequestHash())) {
                return StoredResource.of(e);
            }
            throw ApiException.conflict(id.describe() + " already exists");
        }
        checkQuota(id);
        checkSpecLimits(write.spec());
        if (id.parentId() != null) {
            checkServedByParent(find(id.parentId()), write.spec());
        }
        if (tags.size() > limits.tagsPerResource()) {
            throw new ApiException(ErrorCode.TOO_MANY_TAGS, "tags: " + tags.size() + " tags exceed the limit of "
                    + limits.tagsPerResource() + " per resource");
        }
        Set<ReferenceTarget> refs = checkReferences(id, write.spec());
        checkTargetPorts(id, write.spec());
        ResourceEntity entity = new ResourceEntity(id, UUID.randomUUID(), write.specJson(), now());
        entity.recordRequest(write.clientToken(), write.requestHash());
        entity.getTags().putAll(tags);
        entity.getReferences().addAll(refs);
        resources.saveAndFlush(entity);
        changed(revision);
        return StoredResource.of(entity);
    }

    public StoredResource update(ResourceId id, Write write, Long expectedVersion) {
        MeshRevisionEntity revision = lockExistingMesh(id.mesh());
        ResourceEntity entity = find(id);
        checkVersion(entity, expectedVersion);
        if (write.clientToken() != null && write.clientToken().equals(entity.getClientToken())) {
            if (write.requestHash().equals(entity.getRequestHash())) {
                return StoredResource.of(entity);
            }
            // App Mesh: a client token names one request; reusing it for another is a conflict, not a new write
            throw ApiException.conflict("clientToken '" + write.clientToken() + "' was used for a different request to "
                    + id.describe());
        }
        checkSpecLimits(write.spec());
        if (id.parentId() != null) {
            checkServedByParent(find(id.parentId()), write.spec());
        }
        Set<ReferenceTarget> refs = checkReferences(id, write.spec());
        checkTargetPorts(id, write.spec());
        entity.updateSpec(write.specJson(), now());
        entity.recordRequest(write.clientToken(), write.requestHash());
        entity.getReferences().clear();
        entity.getReferences().addAll(refs);
        resources.saveAndFlush(entity);
        Set<ResourceId> deferred = deferredDependents.get();
        if (deferred != null) {
            deferred.add(id);
        } else {
            checkDependents(id);
        }
        changed(revision);
        return StoredResource.of(entity);
    }

    /**
     * Runs several writes of one transaction (an apply's), checking what depends on each resource they update
     * (the routes a router serves or a node is targeted by, the gateway routes a gateway serves or a service's
     * provider is targeted through) once after all of them instead of after each: one document may add a
     * node's second listener and give its routes their target ports, in either order.
     *
     * @param writes the writes, calling this store's create, update and delete
     * @return what {@code writes} returns
     * @throws ApiException whatever a write throws; BadRequestException naming the first route or gateway route
     *     the writes leave without the listener it needs
     */
    public <T> T writingTogether(java.util.function.Supplier<T> writes) {
        if (deferredDependents.get() != null) {
            return writes.get();
        }
        Set<ResourceId> updated = new java.util.LinkedHashSet<>();
        deferredDependents.set(updated);
        try {
            T result = writes.get();
            updated.forEach(this::checkDependents);
            return result;
        } finally {
            deferredDependents.remove();
        }
    }

    public StoredResource delete(ResourceId id, Long expectedVersion) {
        MeshRevisionEntity revision = lockExistingMesh(id.mesh());
        ResourceEntity entity = find(id);
        checkVersion(entity, expectedVersion);
        checkNotInUse(id);
        StoredResource last = StoredResource.of(entity);
        resources.delete(entity);
        resources.flush();
        if (id.kind() == ResourceKind.MESH) {
            // Meshplane's own settings of the mesh go with it (its CAs are kept, retired, for the record)
            revisions.deleteMeshSettings(id.mesh());
        }
        changed(revision);
        return last;
    }

    /**
     * Locks the revision rows of those of {@code meshes} that exist, in name order, until the caller's
     * transaction ends: a writer of several meshes holds them all before it checks what it read earlier,
     * and two such writers never deadlock. Meshes that do not exist are skipped (their creation locks).
     */
    public void lockMeshes(Collection<String> meshes) {
        new java.util.TreeSet<>(meshes).forEach(revisions::lock);
    }

    @Transactional(readOnly = true)
    public StoredResource describe(ResourceId id) {
        return StoredResource.of(find(id));
    }

    /** A mesh's resources of one kind (of one parent, for routes), in name order; meshes are listed by {@link #listMeshes}. */
    @Transactional(readOnly = true)
    public Page<StoredResource> list(ResourceKind kind, String mesh, String parent, int limit, String nextToken) {
        String after = PageToken.decode(nextToken);
        find(ResourceId.mesh(mesh));
        if (kind.parent() != null) {
            find(new ResourceId(kind.parent(), mesh, "", parent));
        }
        List<ResourceEntity> rows = resources.findByKindAndMeshNameAndParentNameAndNameGreaterThanOrderByNameAsc(
                kind, mesh, parent == null ? "" : parent, after, Limit.of(limit + 1));
        return page(rows, limit, StoredResource::of, r -> r.resourceId().name());
    }

    /**
     * Meshes in name order, one page at a time, only those named in {@code readable} (null: all):
     * filtered before paging, so a page and its {@code nextToken} name only meshes the reader may see.
     */
    @Transactional(readOnly = true)
    public Page<StoredResource> listMeshes(Collection<String> readable, int limit, String nextToken) {
        String after = PageToken.decode(nextToken);
        List<ResourceEntity> rows = readable == null
                ? resources.findByKindAndNameGreaterThanOrderByNameAsc(ResourceKind.MESH, after, Limit.of(limit + 1))
                : readable.isEmpty() ? List.of() : resources.findByKindAndNameInAndNameGreaterThanOrderByNameAsc(
                        ResourceKind.MESH, readable, after, Limit.of(limit + 1));
        return page(rows, limit, StoredResource::of, r -> r.resourceId().name());
    }

    /**
     * The meshes whose virtual nodes select a registry service (awsCloudMap {@code namespaceName}
     * and {@code serviceName}): the meshes that own it, whose proxies are sent its instances.
     */
    @Transactional(readOnly = true)
    public List<String> meshesSelecting(String namespace, String service) {
        return resources.findMeshesSelecting(namespace, service);
    }

    /** The tags of a resource, in key order, one page at a time. */
    @Transactional(readOnly = true)
    public Page<Map.Entry<String, String>> listTags(ResourceId id, int limit, String nextToken) {
        String after = PageToken.decode(nextToken);
        List<Map.Entry<String, String>> entries = new TreeMap<>(find(id).getTags()).tailMap(after, false)
                .entrySet().stream().limit(limit + 1L).map(e -> Map.entry(e.getKey(), e.getValue())).toList();
        return page(entries, limit, Function.identity(), Map.Entry::getKey);
    }

    public void tag(ResourceId id, Map<String, String> tags) {
        lockExistingMesh(id.mesh());
        ResourceEntity entity = find(id);
        Map<String, String> merged = new TreeMap<>(entity.getTags());
        merged.putAll(tags);
        if (merged.size() > limits.tagsPerResource()) {
            throw new ApiException(ErrorCode.TOO_MANY_TAGS, "tags: the resource would have " + merged.size()
                    + " tags, more than the limit of " + limits.tagsPerResource());
        }
        entity.getTags().putAll(tags);
    }

    public void untag(ResourceId id, Collection<String> keys) {
        lockExistingMesh(id.mesh());
        find(id).getTags().keySet().removeAll(keys);
    }

    /** The specs of every resource of a mesh, the mesh itself included; empty when the mesh does not exist. */
    @Transactional(readOnly = true)
    public List<SpecRow> specs(String mesh) {
        return resources.findSpecs(mesh);
    }

    /**
     * Every resource of a mesh, the mesh included, with tags and versions, from one snapshot of the database
     * (what an export writes).
     *
     * @throws ApiException NotFoundException when the mesh does not exist
     */
    @Transactional(readOnly = true, isolation = org.springframework.transaction.annotation.Isolation.REPEATABLE_READ)
    public List<StoredResource> everything(String mesh) {
        find(ResourceId.mesh(mesh));
        return resources.findSpecKeys(mesh).stream()
                .map(row -> StoredResource.of(find(new ResourceId(row.kind(), mesh, row.parent(), row.name()))))
                .toList();
    }

    /** The names of every mesh. */
    @Transactional(readOnly = true)
    public List<String> meshNames() {
        return resources.findMeshNames();
    }

    /**
     * The specs of a mesh, reading the spec text only of rows the caller does not know yet (by uid and
     * version): after a change, a reader that keeps what it parsed reads one row's spec, not the mesh's.
     * Rows it knows come back with a null {@code specJson}. One snapshot of the database for both reads.
     */
    @Transactional(readOnly = true, isolation = org.springframework.transaction.annotation.Isolation.REPEATABLE_READ)
    public List<SpecRow> specs(String mesh, java.util.function.Predicate<SpecRow> known) {
        List<SpecRow> keys = resources.findSpecKeys(mesh);
        List<java.util.UUID> unknown = keys.stream().filter(k -> !known.test(k)).map(SpecRow::uid).toList();
        if (unknown.isEmpty()) {
            return keys;
        }
        java.util.Map<java.util.UUID, SpecRow> read = new java.util.HashMap<>();
        for (int from = 0; from < unknown.size(); from += 1000) {
            resources.findSpecsOf(mesh, unknown.subList(from, Math.min(unknown.size(), from + 1000)))
                    .forEach(row -> read.put(row.uid(), row));
        }
        return keys.stream().map(k -> read.getOrDefault(k.uid(), k)).toList();
    }

    /** The current revision of a mesh, or 0 if it never existed. */
    @Transactional(readOnly = true)
    public long revision(String mesh) {
        return revisions.findById(mesh).map(MeshRevisionEntity::getRevision).orElse(0L);
    }

    private MeshRevisionEntity lockExistingMesh(String mesh) {
        MeshRevisionEntity revision = revisions.lock(mesh).orElseThrow(() -> meshNotFound(mesh));
        find(ResourceId.mesh(mesh));
        return revision;
    }

    private static ApiException meshNotFound(String mesh) {
        return ApiException.notFound("mesh '" + mesh + "' does not exist");
    }

    private ResourceEntity find(ResourceId id) {
        return resources.findByKindAndMeshNameAndParentNameAndName(id.kind(), id.mesh(), id.parent(), id.name())
                .orElseThrow(() -> id.kind() == ResourceKind.MESH
                        ? meshNotFound(id.mesh())
                        : ApiException.notFound(id.describe() + " does not exist"));
    }

    private void changed(MeshRevisionEntity revision) {
        revision.bump();
        revisions.saveAndFlush(revision);
        revisions.notifyChanged(revision.getMeshName());
    }

    private static void checkVersion(ResourceEntity entity, Long expectedVersion) {
        if (expectedVersion != null && expectedVersion != entity.getVersion()) {
            throw new ApiException(ErrorCode.PRECONDITION_FAILED, entity.resourceId().describe() + " is at version "
                    + entity.getVersion() + ", not " + expectedVersion + " as If-Match requires");
        }
    }

    private void checkQuota(ResourceId id) {
        long count;
        int limit;
        String scope;
        switch (id.kind()) {
            case MESH -> {
                count = resources.countByKind(ResourceKind.MESH);
                limit = limits.meshes();
                scope = "this account";
            }
            case ROUTE -> {
                count = resources.countByKindAndMeshNameAndParentName(id.kind(), id.mesh(), id.parent());
                limit = limits.routesPerVirtualRouter();
                scope = "virtual router '" + id.parent() + "'";
            }
            case GATEWAY_ROUTE -> {
                count = resources.countByKindAndMeshNameAndParentName(id.kind(), id.mesh(), id.parent());
                limit = limits.gatewayRoutesPerVirtualGateway();
                scope = "virtual gateway '" + id.parent() + "'";
            }
            default -> {
                count = resources.countByKindAndMeshNameAndParentName(id.kind(), id.mesh(), "");
                limit = switch (id.kind()) {
                    case VIRTUAL_SERVICE -> limits.virtualServicesPerMesh();
                    case VIRTUAL_NODE -> limits.virtualNodesPerMesh();
                    case VIRTUAL_ROUTER -> limits.virtualRoutersPerMesh();
                    default -> limits.virtualGatewaysPerMesh();
                };
                scope = "mesh '" + id.mesh() + "'";
            }
        }
        if (count >= limit) {
            String setting = switch (id.kind()) {
                case MESH -> "meshes";
                case ROUTE -> "routes-per-virtual-router";
                case GATEWAY_ROUTE -> "gateway-routes-per-virtual-gateway";
                default -> id.kind().pluralName().replace(' ', '-') + "-per-mesh";
            };
            throw ApiException.limitExceeded("cannot create " + id.describe() + ": " + scope + " already has " + count
                    + " " + id.kind().pluralName() + " and its limit is " + limit
                    + " (meshplane.limits." + setting + ")");
        }
    }

    private void checkSpecLimits(Object spec) {
        if (spec instanceof dev.meshplane.api.model.VirtualNodeSpec node && node.backends() != null
                && node.backends().size() > limits.backendsPerVirtualNode()) {
            throw ApiException.limitExceeded("spec.backends: " + node.backends().size()
                    + " backends exceed the limit of " + limits.backendsPerVirtualNode() + " per virtual node");
        }
    }

    /**
     * A route must be served by a listener of its router, a gateway route by one of its gateway's, or it would
     * appear in no route configuration.
     */
    private static void checkServedByParent(ResourceEntity parent, Object spec) {
        if (spec instanceof RouteSpec route) {
            RouteListenerFit.check(parent.resourceId().name(),
                    AppMeshJson.mapper().readValue(parent.getSpec(), VirtualRouterSpec.class), route);
        } else if (spec instanceof GatewayRouteSpec route) {
            RouteListenerFit.check(parent.resourceId().name(),
                    AppMeshJson.mapper().readValue(parent.getSpec(), VirtualGatewaySpec.class), route);
        }
    }

    /**
     * After an update of a router, gateway, node or service: every route and gateway route that depends on it must
     * still be served by its parent's listeners ({@link RouteListenerFit}) and still name a listener of its targets
     * ({@link TargetPortFit}), or it would be dropped silently; the first one that no longer does is named. Only
     * the dependence on the updated resource is checked. Nothing is checked when the resource is gone (an apply
     * may delete it after updating it).
     */
    private void checkDependents(ResourceId id) {
        ResourceEntity entity = resources.findByKindAndMeshNameAndParentNameAndName(id.kind(), id.mesh(), id.parent(),
                id.name()).orElse(null);
        if (entity == null) {
            return;
        }
        Object spec = AppMeshJson.mapper().readValue(entity.getSpec(), id.kind().specType());
        if (spec instanceof VirtualRouterSpec router) {
            for (ResourceEntity route : children(ResourceKind.ROUTE, id)) {
                refuseIfUnserved("spec.listeners", route, RouteListenerFit.unservedAfterUpdate(id.name(), router,
                        AppMeshJson.mapper().readValue(route.getSpec(), RouteSpec.class)), "be served");
            }
            checkGatewayRoutesThroughProvided(id, new TargetPortFit.Provider("virtual router '" + id.name() + "'",
                    listeners(router.listeners(), l -> l.portMapping())));
        } else if (spec instanceof VirtualGatewaySpec gateway) {
            for (ResourceEntity route : children(ResourceKind.GATEWAY_ROUTE, id)) {
                refuseIfUnserved("spec.listeners", route, RouteListenerFit.unservedAfterUpdate(id.name(), gateway,
                        AppMeshJson.mapper().readValue(route.getSpec(), GatewayRouteSpec.class)), "be served");
            }
        } else if (spec instanceof VirtualNodeSpec node) {
            for (ResourceEntity route : referencing(id, ResourceKind.ROUTE)) {
                refuseIfUnserved("spec.listeners", route, TargetPortFit.unreachedAfterUpdate(
                        AppMeshJson.mapper().readValue(route.getSpec(), RouteSpec.class),
                        name -> name.equals(id.name()) ? node : null), "reach its target");
            }
            checkGatewayRoutesThroughProvided(id, new TargetPortFit.Provider("virtual node '" + id.name() + "'",
                    listeners(node.listeners(), l -> l.portMapping())));
        } else if (spec instanceof VirtualServiceSpec service) {
            for (ResourceEntity route : referencing(id, ResourceKind.GATEWAY_ROUTE)) {
                refuseIfUnserved("spec.provider", route, TargetPortFit.unreachedAfterUpdate(
                        AppMeshJson.mapper().readValue(route.getSpec(), GatewayRouteSpec.class),
                        provider(id.mesh(), service)), "reach its target");
            }
        }
    }

    /** The gateway routes targeting a service that {@code providerId} provides must still name one of its listeners. */
    private void checkGatewayRoutesThroughProvided(ResourceId providerId, TargetPortFit.Provider provider) {
        for (ResourceEntity service : referencing(providerId, ResourceKind.VIRTUAL_SERVICE)) {
            for (ResourceEntity route : referencing(service.resourceId(), ResourceKind.GATEWAY_ROUTE)) {
                refuseIfUnserved("spec.listeners", route, TargetPortFit.unreachedAfterUpdate(
                        AppMeshJson.mapper().readValue(route.getSpec(), GatewayRouteSpec.class), provider),
                        "reach its target");
            }
        }
    }

    private static void refuseIfUnserved(String member, ResourceEntity route, String problem, String what) {
        if (problem != null) {
            throw ApiException.badRequest(member + ": " + route.resourceId().describe() + " would no longer " + what
                    + ": its " + problem);
        }
    }

    private List<ResourceEntity> children(ResourceKind kind, ResourceId parent) {
        return resources.findByKindAndMeshNameAndParentNameOrderByNameAsc(kind, parent.mesh(), parent.name(),
                Limit.unlimited());
    }

    /** The resources of one kind that name {@code id} (a route its target node, a gateway route its service ...). */
    private List<ResourceEntity> referencing(ResourceId id, ResourceKind kind) {
        return resources.findReferencing(id.mesh(), id.kind(), id.name(), Limit.unlimited()).stream()
                .filter(r -> r.resourceId().kind() == kind).toList();
    }

    /**
     * A route's weighted targets and a gateway route's target must name a listener of the node (of the service's
     * provider) they target, and must name one when it has several, as App Mesh requires; run after
     * {@link #checkReferences}, so every target exists.
     */
    private void checkTargetPorts(ResourceId id, Object spec) {
        String problem = null;
        if (spec instanceof RouteSpec route) {
            problem = TargetPortFit.problem(route, name -> resources.findByKindAndMeshNameAndParentNameAndName(
                    ResourceKind.VIRTUAL_NODE, id.mesh(), "", name)
                    .map(n -> AppMeshJson.mapper().readValue(n.getSpec(), VirtualNodeSpec.class)).orElse(null));
        } else if (spec instanceof GatewayRouteSpec route) {
            var target = route.httpRoute() != null ? route.httpRoute().action().target()
                    : route.http2Route() != null ? route.http2Route().action().target() : route.grpcRoute().action().target();
            ResourceEntity service = find(new ResourceId(ResourceKind.VIRTUAL_SERVICE, id.mesh(), "",
                    target.virtualService().virtualServiceName()));
            problem = TargetPortFit.problem(route,
                    provider(id.mesh(), AppMeshJson.mapper().readValue(service.getSpec(), VirtualServiceSpec.class)));
        }
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
    }

    /** The listeners of a service's provider, or null when it has none (or it is gone). */
    private TargetPortFit.Provider provider(String mesh, VirtualServiceSpec service) {
        if (service.provider() == null) {
            return null;
        }
        boolean node = service.provider().virtualNode() != null;
        String name = node ? service.provider().virtualNode().virtualNodeName()
                : service.provider().virtualRouter().virtualRouterName();
        ResourceKind kind = node ? ResourceKind.VIRTUAL_NODE : ResourceKind.VIRTUAL_ROUTER;
        return resources.findByKindAndMeshNameAndParentNameAndName(kind, mesh, "", name).map(e -> {
            List<dev.meshplane.api.model.PortMapping> listeners = node
                    ? listeners(AppMeshJson.mapper().readValue(e.getSpec(), VirtualNodeSpec.class).listeners(), l -> l.portMapping())
                    : listeners(AppMeshJson.mapper().readValue(e.getSpec(), VirtualRouterSpec.class).listeners(), l -> l.portMapping());
            return new TargetPortFit.Provider(kind.displayName() + " '" + name + "'", listeners);
        }).orElse(null);
    }

    private static <L> List<dev.meshplane.api.model.PortMapping> listeners(List<L> listeners,
            Function<L, dev.meshplane.api.model.PortMapping> portMapping) {
        return listeners == null ? List.of() : listeners.stream().map(portMapping).toList();
    }

    private Set<ReferenceTarget> checkReferences(ResourceId id, Object spec) {
        Set<ReferenceTarget> targets = new java.util.HashSet<>();
        for (Reference ref : SpecReferences.of(spec)) {
            boolean exists = resources.findByKindAndMeshNameAndParentNameAndName(ref.kind(), id.mesh(), "", ref.name())
                    .isPresent();
            if (!exists) {
                throw ApiException.badRequest(ref.member() + ": " + ref.kind().displayName() + " '" + ref.name()
                        + "' does not exist in mesh '" + id.mesh() + "'");
            }
            targets.add(new ReferenceTarget(ref.kind(), ref.name()));
        }
        return targets;
    }

    private void checkNotInUse(ResourceId id) {
        List<String> users = new ArrayList<>();
        switch (id.kind()) {
            case MESH -> resources.findByMeshNameAndKindNotOrderByKindAscNameAsc(id.mesh(), ResourceKind.MESH,
                    Limit.of(5)).forEach(r -> users.add(r.resourceId().describe()));
            case VIRTUAL_ROUTER -> resources.findByKindAndMeshNameAndParentNameOrderByNameAsc(ResourceKind.ROUTE,
                    id.mesh(), id.name(), Limit.of(5)).forEach(r -> users.add(r.resourceId().describe()));
            case VIRTUAL_GATEWAY -> resources.findByKindAndMeshNameAndParentNameOrderByNameAsc(
                    ResourceKind.GATEWAY_ROUTE, id.mesh(), id.name(), Limit.of(5))
                    .forEach(r -> users.add(r.resourceId().describe()));
            default -> {
            }
        }
        if (id.kind() != ResourceKind.MESH) {
            resources.findReferencing(id.mesh(), id.kind(), id.name(), Limit.of(5))
                    .forEach(r -> users.add(r.resourceId().describe()));
        }
        if (!users.isEmpty()) {
            String why = id.kind() == ResourceKind.MESH ? " still contains " : " is in use by ";
            throw ApiException.inUse(id.describe() + why + String.join(", ", users.subList(0, Math.min(5, users.size())))
                    + "; delete or change those first");
        }
    }

    private static <E, T> Page<T> page(List<E> rows, int limit, Function<E, T> map, Function<E, String> key) {
        boolean more = rows.size() > limit;
        List<E> shown = more ? rows.subList(0, limit) : rows;
        String next = more ? PageToken.encode(key.apply(shown.get(shown.size() - 1))) : null;
        return new Page<>(shown.stream().map(map).toList(), next);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
