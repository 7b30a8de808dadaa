package dev.meshplane.controlplane.xds;

import dev.meshplane.controlplane.cluster.LeaderElection;
import dev.meshplane.controlplane.registry.RegistryProperties;
import dev.meshplane.controlplane.security.CertificateAuthority;
import dev.meshplane.persistence.RegistryStore;
import dev.meshplane.snapshot.BuiltInSecrets;
import dev.meshplane.snapshot.Dependencies;
import dev.meshplane.snapshot.EnvoyValidator;
import dev.meshplane.snapshot.MeshTranslator;
import dev.meshplane.snapshot.MeshView;
import dev.meshplane.snapshot.ProxyId;
import dev.meshplane.snapshot.ProxyResources;
import dev.meshplane.snapshot.TranslationMemo;
import jakarta.annotation.PreDestroy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns store changes into snapshots. Changes are gathered for a short debounce, then each changed
 * mesh is loaded once and every connected group of proxies in it is translated; the cache sends
 * only what differs by content. A periodic resync rebuilds everything, for missed notifications.
 * A group whose translation fails keeps its last snapshot and does not hold the others back.
 */
@Component
public class ConfigPublisher {

    private static final Logger log = LoggerFactory.getLogger(ConfigPublisher.class);

    private static final Map<io.envoyproxy.controlplane.cache.Resources.ResourceType, String> TYPE_URLS = new java.util.EnumMap<>(
            io.envoyproxy.controlplane.cache.Resources.ResourceType.class);

    static {
        io.envoyproxy.controlplane.cache.Resources.TYPE_URLS_TO_RESOURCE_TYPE.forEach((url, type) -> {
            if (url.startsWith("type.googleapis.com/envoy.") && url.contains(".v3.")) {
                TYPE_URLS.put(type, url);
            }
        });
    }

    private final ProxyCache cache;
    private final MeshViewLoader loader;
    private final RegistryStore registry;
    private final XdsProperties properties;
    private final LeaderElection leader;
    private final CertificateAuthority authority;
    private final java.time.Duration expiredRetention;
    private final PublisherMetrics metrics;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "meshplane-publisher");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<String> dirtyMeshes = ConcurrentHashMap.newKeySet();
    private final Set<String> dirtyServices = ConcurrentHashMap.newKeySet();
    /** Meshes whose stored content may differ from the view last read. */
    private final Set<String> staleMeshes = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    /** Per mesh, the registry services its nodes select, as of the last build. */
    private final Map<String, Set<String>> servicesByMesh = new ConcurrentHashMap<>();
    private final Map<String, String> translationErrors = new ConcurrentHashMap<>();
    /** Per group, what its last translation left out on purpose (ProxyResources.notes), while there is any. */
    private final Map<String, List<String>> translationNotes = new ConcurrentHashMap<>();
    /** The last view of each mesh with connected proxies, to tell which resources a change touched. */
    private final Map<String, MeshView> views = new ConcurrentHashMap<>();
    /**
     * The translation memo of each mesh's last build: the next build of the same view uses it as it
     * is, and the next view's memo finds in its carry every part a change did not touch. For meshes with mTLS
     * STRICT it also knows who may call each node, so a change compares without working that out again.
     */
    private final Map<String, TranslationMemo> memos = new ConcurrentHashMap<>();
    /** Content hashes of resources already found valid. */
    private final com.google.common.cache.Cache<String, Boolean> validContent =
            com.google.common.cache.CacheBuilder.newBuilder().maximumSize(500_000).build();
    /** Message instances already found valid (translation shares them between groups of one view). */
    private final EnvoyValidator.KnownValid validMessages = new EnvoyValidator.KnownValid() {
        private final com.google.common.cache.Cache<com.google.protobuf.Message, Boolean> seen =
                com.google.common.cache.CacheBuilder.newBuilder().weakKeys().build();

        @Override
        public boolean contains(com.google.protobuf.Message message) {
            return seen.getIfPresent(message) != null;
        }

        @Override
        public void add(com.google.protobuf.Message message) {
            seen.put(message, Boolean.TRUE);
        }
    };
    /** Per group of proxies, what its last configuration was made of. */
    private final Map<String, Set<String>> dependencies = new ConcurrentHashMap<>();
    /** Per proxy group: does its configuration name the built-in secrets (so it is issued a certificate)? */
    private final Map<String, Boolean> needsSecrets = new ConcurrentHashMap<>();
    /** The earliest commit time of the changes waiting, by mesh (and by registry service before that). */
    private final Map<String, Long> changeTimes = new ConcurrentHashMap<>();
    private volatile boolean primed;
    private final AtomicBoolean forgetAllInstances = new AtomicBoolean();

    public ConfigPublisher(ProxyCache cache, MeshViewLoader loader, RegistryStore registry, XdsProperties properties,
            LeaderElection leader, PublisherMetrics metrics, RegistryProperties registryProperties,
            CertificateAuthority authority) {
        this.authority = authority;
        this.expiredRetention = registryProperties.expiredRetention();
        this.leader = leader;
        this.metrics = metrics;
        this.cache = cache;
        this.loader = loader;
        this.registry = registry;
        this.properties = properties;
        cache.onDemand(id -> groupWanted(id.mesh()));
        long resync = properties.resyncInterval().toMillis();
        executor.execute(this::prime);
        executor.scheduleWithFixedDelay(this::resyncAll, resync, resync, TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::expireInstances, 1, 1, TimeUnit.SECONDS);
        executor.scheduleWithFixedDelay(this::purgeExpiredInstances, 60, 60, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** A mesh changed; {@code committedAtMillis} is when (0 when unknown), for the convergence metric. */
    public void meshChanged(String mesh, long committedAtMillis) {
        authority.forget(mesh); // its CAs may have changed
        noteChangeTime(mesh, committedAtMillis);
        staleMeshes.add(mesh);
        dirtyMeshes.add(mesh);
        scheduleFlush();
    }

    private void noteChangeTime(String key, long millis) {
        if (millis > 0) {
            changeTimes.merge(key, millis, Math::min);
        }
    }

    /** A proxy of a group not served yet connected: build it from the mesh as last read, if that is current. */
    private void groupWanted(String mesh) {
        dirtyMeshes.add(mesh);
        scheduleFlush();
    }

    public void registryChanged(String service, long committedAtMillis) {
        noteChangeTime("registry:" + service, committedAtMillis);
        dirtyServices.add(service);
        scheduleFlush();
    }

    /**
     * Reads every mesh once, so that the first proxies of each are served from memory at once (and
     * still are if the database goes away). Readiness waits for this; it is retried at every resync
     * until it succeeds.
     */
    void prime() {
        try {
            for (String mesh : loader.meshNames()) {
                loader.load(mesh).ifPresent(view -> {
                    views.putIfAbsent(mesh, view);
                    servicesByMesh.putIfAbsent(mesh, MeshViewLoader.registryServices(view.virtualNodes()));
                });
            }
            primed = true;
        } catch (RuntimeException e) {
            log.warn("Could not read the meshes yet ({}); retrying at the next resync", e.toString());
        }
    }

    /**
     * The mesh as this replica last read it, if it holds it: meshes with proxies connected here, and
     * every mesh until its first change after start-up. Read while the database is away.
     */
    public Optional<MeshView> lastRead(String mesh) {
        return Optional.ofNullable(views.get(mesh));
    }

    /** Has every mesh been read once since start-up? */
    public boolean primed() {
        return primed;
    }

    public void resyncAll() {
        forgetAllInstances.set(true);
        if (!primed) {
            prime();
        }
        cache.groups().forEach(id -> {
            staleMeshes.add(id.mesh());
            dirtyMeshes.add(id.mesh());
        });
        scheduleFlush();
    }

    /** What the last build of a group of proxies that was sent left out of it on purpose, and why; empty if nothing. */
    public List<String> translationNotes(String groupKey) {
        return translationNotes.getOrDefault(groupKey, List.of());
    }

    /** The last translation error of a group of proxies, if its last build failed. */
    public Optional<String> translationError(String groupKey) {
        return Optional.ofNullable(translationErrors.get(groupKey));
    }

    private void scheduleFlush() {
        if (flushScheduled.compareAndSet(false, true)) {
            executor.schedule(this::flush, properties.debounce().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void flush() {
        flushScheduled.set(false);
        if (forgetAllInstances.getAndSet(false)) {
            loader.forgetAllInstances();
        }
        List<String> services = drain(dirtyServices);
        services.forEach(loader::forgetInstances);
        if (!services.isEmpty()) {
            servicesByMesh.forEach((mesh, selected) -> {
                for (String service : services) {
                    if (selected.contains(service)) {
                        staleMeshes.add(mesh);
                        dirtyMeshes.add(mesh);
                        Long at = changeTimes.get("registry:" + service);
                        noteChangeTime(mesh, at == null ? 0 : at);
                    }
                }
            });
            services.forEach(service -> changeTimes.remove("registry:" + service));
        }
        for (String mesh : drain(dirtyMeshes)) {
            try {
                rebuild(mesh);
            } catch (RuntimeException e) {
                // the store may be unreachable: keep serving the last snapshots and try again at the next resync
                log.warn("Could not rebuild mesh '{}': {}", mesh, e.toString());
            }
        }
    }

    private void rebuild(String mesh) {
        List<ProxyId> groups = cache.groups().stream().filter(id -> id.mesh().equals(mesh)).toList();
        dependencies.keySet().removeIf(key -> key.contains(":mesh/" + mesh + "/")
                && groups.stream().noneMatch(g -> g.groupKey().equals(key)));
        needsSecrets.keySet().removeIf(key -> key.contains(":mesh/" + mesh + "/")
                && groups.stream().noneMatch(g -> g.groupKey().equals(key)));
        if (groups.isEmpty()) {
            servicesByMesh.remove(mesh);
            views.remove(mesh);
            memos.remove(mesh);
            return;
        }
        long started = System.nanoTime();
        Long changedAt = changeTimes.remove(mesh);
        long committedAt = changedAt == null ? 0 : changedAt;
        // a new group alone does not change the mesh: the view last read serves, unless a change came in
        boolean stale = staleMeshes.remove(mesh) || !views.containsKey(mesh);
        Optional<MeshView> view;
        try {
            view = stale ? loader.load(mesh) : Optional.of(views.get(mesh));
        } catch (RuntimeException e) {
            // the database is away: proxies keep what they have, and groups connecting now are built
            // from the mesh as last read (nothing changed since, as far as this replica knows)
            staleMeshes.add(mesh);
            if (!views.containsKey(mesh)) {
                throw e;
            }
            log.warn("Could not read mesh '{}' ({}); serving it as last read", mesh, e.toString());
            view = Optional.of(views.get(mesh));
        }
        long loaded = System.nanoTime();
        view.ifPresentOrElse(v -> servicesByMesh.put(mesh, MeshViewLoader.registryServices(v.virtualNodes())),
                () -> servicesByMesh.remove(mesh));
        MeshView before = views.get(mesh);
        TranslationMemo earlier = memos.get(mesh);
        Optional<TranslationMemo> memo = view.map(v -> earlier == null ? new TranslationMemo(v) : earlier.next(v));
        Map<String, Set<String>> beforeCallers = earlier != null && before != null && earlier.view() == before
                && before.mtls() == dev.meshplane.api.security.MtlsMode.STRICT ? earlier.callers() : null;
        Set<String> changed = Dependencies.changed(before, view.orElse(null), beforeCallers, memo.orElse(null));
        view.ifPresentOrElse(v -> views.put(mesh, v), () -> views.remove(mesh));
        memo.ifPresentOrElse(m -> memos.put(mesh, m), () -> memos.remove(mesh));
        int translated = 0;
        int pushed = 0;
        long translating = 0;
        long validating = 0;
        long hashing = 0;
        long setting = 0;
        MeshView viewNow = view.orElse(null);
        for (ProxyId id : groups) {
            Set<String> inputs = dependencies.get(id.groupKey());
            Optional<ProxySnapshot> current = cache.snapshot(id.groupKey());
            boolean untouched = inputs != null && inputs.stream().noneMatch(changed::contains) && current.isPresent();
            // whether the group needs the built-in secrets follows from the mesh switch and its own spec alone
            Boolean needed = changed.contains(Dependencies.MESH) || changed.contains(Dependencies.ownKey(id)) ? null
                    : needsSecrets.get(id.groupKey());
            if (needed == null) {
                needed = BuiltInSecrets.neededBy(viewNow, id);
                needsSecrets.put(id.groupKey(), needed);
            }
            List<io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret> secrets = secrets(id, needed);
            if (untouched) {
                // nothing this group's configuration is made of has changed; its certificate may have
                ProxySnapshot renewed = current.get().withSecrets(secrets);
                if (!renewed.sameAs(current.get()) && cache.setSnapshot(id, renewed)) {
                    pushed++;
                    metrics.pushed(id.groupKey(), TYPE_URLS.get(io.envoyproxy.controlplane.cache.Resources.ResourceType.SECRET),
                            renewed.version(io.envoyproxy.controlplane.cache.Resources.ResourceType.SECRET), committedAt);
                }
                continue;
            }
            translated++;
            ProxyResources resources;
            long t0 = System.nanoTime();
            try {
                resources = memo.map(m -> MeshTranslator.translate(m, id)).orElseGet(ProxyResources::empty);
            } catch (RuntimeException e) {
                translationErrors.put(id.groupKey(), e.toString());
                log.error("Translation failed for {}; it keeps its last configuration", id.groupKey(), e);
                continue;
            }
            long t1 = System.nanoTime();
            translating += t1 - t0;
            ProxySnapshot snapshot = ProxySnapshot.of(resources, secrets);
            long t2 = System.nanoTime();
            hashing += t2 - t1;
            List<String> violations = validate(snapshot);
            if (viewNow != null && viewNow.tracing() != null) {
                // a tracer's collector is another resource of the group; only a mesh with tracing has one to check
                violations.addAll(EnvoyValidator.validateReferences(resources));
            }
            long t3 = System.nanoTime();
            validating += t3 - t2;
            if (!violations.isEmpty()) {
                String error = "Envoy would reject this configuration: "
                        + String.join("; ", violations.subList(0, Math.min(5, violations.size())));
                translationErrors.put(id.groupKey(), error);
                log.error("Not pushing to {}; it keeps its last configuration. {}", id.groupKey(), error);
                continue;
            }
            translationErrors.remove(id.groupKey());
            if (resources.notes().isEmpty()) {
                translationNotes.remove(id.groupKey());
            } else {
                translationNotes.put(id.groupKey(), resources.notes());
            }
            memo.ifPresent(m -> dependencies.put(id.groupKey(), Dependencies.of(m, id)));
            Optional<ProxySnapshot> previous = cache.snapshot(id.groupKey());
            if (cache.setSnapshot(id, snapshot)) {
                pushed++;
                for (var type : io.envoyproxy.controlplane.cache.Resources.RESOURCE_TYPES_IN_ORDER) {
                    String version = snapshot.version(type);
                    if (previous.isEmpty() || !previous.get().version(type).equals(version)) {
                        metrics.pushed(id.groupKey(), TYPE_URLS.get(type), version, committedAt);
                    }
                }
            }
            setting += System.nanoTime() - t3;
        }
        metrics.translation(mesh, System.nanoTime() - loaded);
        log.debug("Mesh '{}' revision {}: {} changed, {} of {} proxy groups translated, {} pushed;"
                        + " loaded in {} ms, translated and pushed in {} ms (translate {}, validate {}, hash {}, push {})",
                mesh, view.map(MeshView::revision).orElse(0L),
                changed.size() > 10 ? changed.size() + " resources" : changed, translated, groups.size(), pushed,
                (loaded - started) / 1_000_000, (System.nanoTime() - loaded) / 1_000_000, translating / 1_000_000,
                validating / 1_000_000, hashing / 1_000_000, setting / 1_000_000);
    }

    /**
     * The certificates a group is served over SDS: sidecars and gateways whose configuration names
     * the built-in secrets (gRPC clients take theirs from files, through gRPC's certificate providers). If they cannot be issued, the group keeps
     * what it has and the error shows in {@code /v1/proxies}.
     */
    private List<io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret> secrets(ProxyId id, boolean needed) {
        if (id.kind() == ProxyId.Kind.GRPC_CLIENT || !needed) {
            return List.of();
        }
        try {
            return authority.secrets(id);
        } catch (RuntimeException e) {
            translationErrors.put(id.groupKey(), "certificates: " + e.getMessage());
            log.error("Cannot issue certificates for {}: {}", id.groupKey(), e.toString());
            return cache.snapshot(id.groupKey())
                    .map(s -> s.get(io.envoyproxy.controlplane.cache.Resources.ResourceType.SECRET).resources().values().stream()
                            .map(r -> (io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret) r.resource()).toList())
                    .orElse(List.of());
        }
    }

    /**
     * Checks a snapshot's resources against Envoy's rules. Versions are content hashes, and the same
     * resource turns up in many groups (every caller of a service gets its clusters), so content
     * already found valid is not checked again.
     */
    private List<String> validate(ProxySnapshot snapshot) {
        List<String> violations = new java.util.ArrayList<>();
        for (var type : io.envoyproxy.controlplane.cache.Resources.ResourceType.values()) {
            snapshot.get(type).resources().forEach((name, resource) -> {
                if (validContent.getIfPresent(resource.version()) == null) {
                    List<String> found = EnvoyValidator.validate(resource.resource(), validMessages);
                    if (found.isEmpty()) {
                        validContent.put(resource.version(), Boolean.TRUE);
                    } else {
                        found.forEach(v -> violations.add(type.name().toLowerCase() + " " + name + ": " + v));
                    }
                }
            });
        }
        return violations;
    }

    /** Instance expiry runs on the leader only; the registry's notification tells every replica. */
    private void expireInstances() {
        if (!leader.isLeader()) {
            return;
        }
        try {
            registry.expire(Instant.now()).forEach(service -> registryChanged(service, System.currentTimeMillis()));
        } catch (RuntimeException e) {
            log.debug("Instance expiry check failed: {}", e.toString());
        }
    }

    /** Cleanup, on the leader only: instances expired longer ago than the retention are deleted. */
    void purgeExpiredInstances() {
        if (!leader.isLeader()) {
            return;
        }
        try {
            int purged = registry.purgeExpired(Instant.now().minus(expiredRetention));
            if (purged > 0) {
                log.info("Deleted {} registry instances expired for more than {}", purged, expiredRetention);
            }
        } catch (RuntimeException e) {
            log.debug("Expired instance cleanup failed: {}", e.toString());
        }
    }

    private static List<String> drain(Set<String> set) {
        List<String> items = new ArrayList<>(set);
        set.removeAll(items);
        return items;
    }
}
