package dev.meshplane.controlplane.appmesh;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.model.EgressFilter;
import dev.meshplane.api.model.EgressFilterType;
import dev.meshplane.api.model.MeshSpec;
import dev.meshplane.api.model.TagRef;
import dev.meshplane.api.resource.ResourceId;
import dev.meshplane.api.resource.ResourceKind;
import dev.meshplane.controlplane.web.ReadsWhileAway;
import dev.meshplane.persistence.Page;
import dev.meshplane.persistence.ResourceStore;
import dev.meshplane.persistence.StoredResource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * App Mesh semantics over the store shared by every resource kind: path checks, paging limits,
 * tags, idempotency hashes and {@code meshOwner}. Controllers call it; it holds no HTTP.
 */
@Service
public class ResourceService {

    static final int MAX_NAME_LENGTH = 255;

    private final ResourceStore store;
    private final AppMeshProperties properties;

    private final io.micrometer.core.instrument.MeterRegistry meters;

    private final dev.meshplane.controlplane.auth.Auditor auditor;

    private final dev.meshplane.persistence.AuthStore credentials;

    private final RememberedReads remembered;
    private final ReadsWhileAway whileAway;

    public ResourceService(ResourceStore store, AppMeshProperties properties, io.micrometer.core.instrument.MeterRegistry meters,
            dev.meshplane.controlplane.auth.Auditor auditor, RememberedReads remembered, ReadsWhileAway whileAway,
            dev.meshplane.persistence.AuthStore credentials) {
        this.store = store;
        this.credentials = credentials;
        this.properties = properties;
        this.meters = meters;
        this.auditor = auditor;
        this.remembered = remembered;
        this.whileAway = whileAway;
    }

    /** A read from the database, kept in {@link RememberedReads} for when the database is away. */
    private <T> T read(RememberedReads.Key key, java.util.function.Supplier<T> read) {
        return whileAway.read(() -> {
            RememberedReads.Stamp stamp = remembered.stamp(key);
            T answer = read.get();
            remembered.remember(key, stamp, answer);
            return answer;
        }, () -> remembered.recall(key), key.operation());
    }

    private static String operation(String verb, ResourceKind kind) {
        StringBuilder name = new StringBuilder(verb);
        for (String part : kind.name().toLowerCase().split("_")) {
            name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return name.toString();
    }

    /** A write and its audit entry, in one transaction. */
    private StoredResource audited(String verb, ResourceId id, java.util.function.Supplier<StoredResource> write) {
        return auditor.write(write, r -> new dev.meshplane.controlplane.auth.Auditor.Entry(operation(verb, id.kind()),
                id.mesh(), id.describe(), verb.equals("Create") ? null : r.version() - (verb.equals("Update") ? 1 : 0),
                verb.equals("Delete") ? null : r.version(), null));
    }

    /** Times a write in the store ({@code meshplane.store.writes}), by operation, kind and outcome. */
    private <T> T timed(String operation, ResourceKind kind, java.util.function.Supplier<T> write) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            T result = write.get();
            outcome = "success";
            return result;
        } catch (dev.meshplane.api.error.ApiException e) {
            outcome = "refused";
            throw e;
        } finally {
            io.micrometer.core.instrument.Timer.builder("meshplane.store.writes")
                    .description("Writes to the store, from the transaction's start to its commit or refusal")
                    .tag("operation", operation).tag("kind", kind.name().toLowerCase()).tag("outcome", outcome)
                    .register(meters).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    public StoredResource create(ResourceId id, Record spec, String clientToken, List<TagRef> tags, Record request) {
        checkNames(id);
        ResourceStore.Write json = write(spec, clientToken, request);
        Map<String, String> tagged = tagMap(tags);
        return timed("create", id.kind(), () -> audited("Create", id, () -> store.create(id, json, tagged)));
    }

    public StoredResource update(ResourceId id, Record spec, String clientToken, Long expectedVersion, Record request) {
        checkNames(id);
        ResourceStore.Write json = write(spec, clientToken, request);
        return timed("update", id.kind(), () -> audited("Update", id, () -> store.update(id, json, expectedVersion)));
    }

    public StoredResource delete(ResourceId id, Long expectedVersion) {
        checkNames(id);
        return timed("delete", id.kind(), () -> audited("Delete", id, () -> {
            StoredResource deleted = store.delete(id, expectedVersion);
            // credentials are bound by name: a resource created later under this name must inherit none of them
            switch (id.kind()) {
                case MESH -> credentials.retireBoundTo(id.mesh(), null, java.time.Instant.now());
                case VIRTUAL_NODE, VIRTUAL_GATEWAY -> credentials.retireBoundTo(id.mesh(),
                        "mesh/" + id.mesh() + "/" + id.kind().arnSegment() + "/" + id.name(), java.time.Instant.now());
                default -> {
                }
            }
            return deleted;
        }));
    }

    /**
     * One resource; while the database is away, as this replica last answered it (see {@link RememberedReads}).
     *
     * @throws ApiException NotFoundException when it does not exist, BadRequestException for a bad name
     * @throws org.springframework.dao.DataAccessException when the database is away and no answer is kept (503)
     */
    public StoredResource describe(ResourceId id) {
        checkNames(id);
        return read(new RememberedReads.Key("describe", id.mesh(), List.of(id)), () -> store.describe(id));
    }

    /**
     * One page of a kind of resource; while the database is away, as this replica last answered it.
     *
     * @throws ApiException NotFoundException when the mesh or parent does not exist, BadRequestException for
     *     a bad name, limit or nextToken
     * @throws org.springframework.dao.DataAccessException when the database is away and no answer is kept (503)
     */
    public Page<StoredResource> list(ResourceKind kind, String mesh, String parent, Integer limit, String nextToken) {
        if (mesh != null) {
            checkName("meshName", mesh);
        }
        if (parent != null) {
            checkName(kind.parent().arnSegment() + "Name", parent);
        }
        int pageSize = limit(limit, 100);
        RememberedReads.Key key = new RememberedReads.Key("list", mesh == null ? RememberedReads.ALL_MESHES : mesh,
                java.util.Arrays.asList(kind, parent, pageSize, nextToken));
        return read(key, () -> store.list(kind, mesh, parent, pageSize, nextToken));
    }

    /**
     * ListMeshes for a reader: the meshes named in {@code readable} (null: every mesh), filtered before
     * paging, so {@code nextToken} never names a mesh the reader may not see.
     */
    public Page<StoredResource> listMeshes(java.util.Set<String> readable, Integer limit, String nextToken) {
        int pageSize = limit(limit, 100);
        // the reader's meshes are part of the key: a kept page is only ever shown to a reader who may see it all
        RememberedReads.Key key = new RememberedReads.Key("listMeshes", RememberedReads.ALL_MESHES,
                java.util.Arrays.asList(readable == null ? null : new java.util.TreeSet<>(readable), pageSize, nextToken));
        return read(key, () -> store.listMeshes(readable, pageSize, nextToken));
    }

    /**
     * One page of a resource's tags; while the database is away, as this replica last answered it.
     *
     * @throws ApiException BadRequestException for a bad ARN or limit, NotFoundException when the resource does not exist
     * @throws org.springframework.dao.DataAccessException when the database is away and no answer is kept (503)
     */
    public Page<Map.Entry<String, String>> listTags(String arn, Integer limit, String nextToken) {
        ResourceId id = parseArn(arn);
        int pageSize = limit(limit, 50);
        return read(new RememberedReads.Key("listTags", id.mesh(), java.util.Arrays.asList(id, pageSize, nextToken)),
                () -> store.listTags(id, pageSize, nextToken));
    }

    public void tag(String arn, List<TagRef> tags) {
        ResourceId id = parseArn(arn);
        Map<String, String> tagged = tagMap(tags);
        timed("tag", id.kind(), () -> {
            auditor.write(() -> store.tag(id, tagged), new dev.meshplane.controlplane.auth.Auditor.Entry("TagResource",
                    id.mesh(), arn, null, null, "keys=" + tagged.keySet()));
            return null;
        });
    }

    public void untag(String arn, List<String> keys) {
        ResourceId id = parseArn(arn);
        timed("untag", id.kind(), () -> {
            auditor.write(() -> store.untag(id, keys), new dev.meshplane.controlplane.auth.Auditor.Entry("UntagResource",
                    id.mesh(), arn, null, null, "keys=" + keys));
            return null;
        });
    }

    /**
     * A mesh spec as CreateMesh and UpdateMesh store it: App Mesh fills in an egress filter of DROP_ALL
     * when none is given (the other members are kept as sent).
     */
    public static MeshSpec meshSpecWithDefaults(MeshSpec spec) {
        if (spec == null) {
            return new MeshSpec(new EgressFilter(EgressFilterType.DROP_ALL), null);
        }
        if (spec.egressFilter() == null) {
            return new MeshSpec(new EgressFilter(EgressFilterType.DROP_ALL), spec.serviceDiscovery());
        }
        return spec;
    }

    /** App Mesh shares meshes across accounts; here every mesh belongs to the configured account. */
    public void checkOwner(String meshOwner, String mesh) {
        if (meshOwner != null && !meshOwner.equals(properties.accountId())) {
            if (!meshOwner.matches("\\d{12}")) {
                throw ApiException.badRequest("meshOwner: must be a 12-digit account id, got '" + meshOwner + "'");
            }
            throw ApiException.notFound("mesh '" + mesh + "' owned by account " + meshOwner + " does not exist;"
                    + " this server's meshes belong to " + properties.accountId());
        }
    }

    /**
     * The resource a {@code resourceArn} names: the one parse both the tagging operations and their
     * authorization rule use. 400 when it is missing or not an ARN of this server's App Mesh.
     */
    public ResourceId parseArn(String arn) {
        if (arn == null || arn.isEmpty()) {
            throw ApiException.badRequest("resourceArn: is required");
        }
        return ResourceId.parseArn(arn, properties.region(), properties.accountId());
    }

    private static ResourceStore.Write write(Record spec, String clientToken, Record request) {
        String specJson = AppMeshJson.mapper().writeValueAsString(spec);
        return new ResourceStore.Write(specJson, spec, clientToken, sha256(AppMeshJson.mapper().writeValueAsString(request)));
    }

    private static Map<String, String> tagMap(List<TagRef> tags) {
        Map<String, String> map = new LinkedHashMap<>();
        if (tags == null) {
            return map;
        }
        for (int i = 0; i < tags.size(); i++) {
            if (map.put(tags.get(i).key(), tags.get(i).value()) != null) {
                throw ApiException.badRequest("tags[" + i + "].key: '" + tags.get(i).key() + "' appears more than once");
            }
        }
        return map;
    }

    private static int limit(Integer limit, int max) {
        if (limit == null) {
            return max;
        }
        if (limit < 1 || limit > max) {
            throw ApiException.badRequest("limit: must be between 1 and " + max + ", got " + limit);
        }
        return limit;
    }

    private static void checkNames(ResourceId id) {
        checkName("meshName", id.mesh());
        if (!id.parent().isEmpty()) {
            checkName(id.kind().parent().arnSegment() + "Name", id.parent());
        }
        checkName(id.kind().arnSegment() + "Name", id.name());
    }

    static void checkName(String member, String value) {
        int length = dev.meshplane.api.validation.CodePointSizeValidator.length(value);
        if (length < 1 || length > MAX_NAME_LENGTH) {
            throw ApiException.badRequest(member + ": must have 1 to " + MAX_NAME_LENGTH + " characters, has " + length);
        }
        // every name that can be created must be addressable as one path segment of the API: Tomcat refuses
        // an encoded '/' or '\\', Spring drops what follows ';', and '.' and '..' are path steps
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '\\' || c == ';' || c == '%') {
                throw ApiException.badRequest(member + ": must not contain '" + c + "' (at index " + i
                        + "): a name is one path segment of the API");
            }
        }
        if (value.equals(".") || value.equals("..")) {
            throw ApiException.badRequest(member + ": must not be '" + value + "': a name is one path segment of the API");
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
