package dev.meshplane.controlplane.xds;

import dev.meshplane.controlplane.xds.ProxySnapshot.TypeResources;
import dev.meshplane.snapshot.ProxyId;
import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.WatchCancelledException;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meshplane's xDS cache behind java-control-plane's server. One snapshot per group of identical
 * proxies (every replica of a virtual node), with these differences from {@code SimpleCache}:
 * <ul>
 * <li>it answers with the requested resources that exist, instead of nothing when one is missing
 *     (one unknown name on a shared gRPC stream would otherwise block every target);</li>
 * <li>a NACKed version is not sent again to that group until the configuration changes
 *     ({@code SimpleCache} re-sends it at once, in a loop);</li>
 * <li>a group seen for the first time is reported, so its snapshot is built on demand;</li>
 * <li>setting a snapshot identical to the current one responds to nobody.</li>
 * </ul>
 */
public class ProxyCache implements ConfigWatcher {

    private static final Logger log = LoggerFactory.getLogger(ProxyCache.class);

    private final ConcurrentHashMap<String, Group> groups = new ConcurrentHashMap<>();
    private final AtomicLong watchIds = new AtomicLong();
    private volatile Consumer<ProxyId> demand = id -> { };

    /** Called (outside any lock) when a group is first asked for. */
    public void onDemand(Consumer<ProxyId> demand) {
        this.demand = demand;
    }

    private static final class Group {
        final ProxyId id;
        ProxySnapshot snapshot;
        final Map<Long, Watch> watches = new LinkedHashMap<>();
        final Map<Long, DeltaWatch> deltaWatches = new LinkedHashMap<>();
        final Map<ResourceType, String> lastSent = new EnumMap<>(ResourceType.class);
        final Map<ResourceType, String> rejected = new EnumMap<>(ResourceType.class);

        Group(ProxyId id) {
            this.id = id;
        }
    }

    /** The groups proxies have asked for, whether or not a snapshot exists yet. */
    public Collection<ProxyId> groups() {
        return groups.values().stream().map(g -> g.id).toList();
    }

    public Optional<ProxySnapshot> snapshot(String groupKey) {
        Group group = groups.get(groupKey);
        if (group == null) {
            return Optional.empty();
        }
        synchronized (group) {
            return Optional.ofNullable(group.snapshot);
        }
    }

    /** Forgets a group once no proxy of it is connected. */
    public void release(String groupKey) {
        groups.computeIfPresent(groupKey, (k, g) -> {
            synchronized (g) {
                return g.watches.isEmpty() && g.deltaWatches.isEmpty() ? null : g;
            }
        });
    }

    private Group group(ProxyId id) {
        boolean[] created = {false};
        Group group = groups.computeIfAbsent(id.groupKey(), k -> {
            created[0] = true;
            return new Group(id);
        });
        if (created[0]) {
            demand.accept(id);
        }
        return group;
    }

    /**
     * Replaces a group's snapshot and answers its waiting watches, in xDS order.
     *
     * @return whether anything changed
     */
    public boolean setSnapshot(ProxyId id, ProxySnapshot snapshot) {
        Group group = groups.get(id.groupKey());
        if (group == null) {
            return false;
        }
        synchronized (group) {
            if (snapshot.sameAs(group.snapshot)) {
                return false;
            }
            group.snapshot = snapshot;
            for (ResourceType type : Resources.RESOURCE_TYPES_IN_ORDER) {
                String version = snapshot.version(type);
                if (version.equals(group.rejected.get(type))) {
                    continue;
                }
                group.rejected.remove(type);
                for (Iterator<Watch> it = group.watches.values().iterator(); it.hasNext();) {
                    Watch watch = it.next();
                    if (watch.request().getResourceType() == type && !watch.request().getVersionInfo().equals(version)) {
                        it.remove();
                        respond(group, watch);
                    }
                }
                for (Iterator<DeltaWatch> it = group.deltaWatches.values().iterator(); it.hasNext();) {
                    DeltaWatch watch = it.next();
                    if (watch.request().getResourceType() == type) {
                        DeltaResponse response = delta(group, watch, false);
                        if (response != null) {
                            it.remove();
                            respondDelta(group, watch, response);
                        }
                    }
                }
            }
            return true;
        }
    }

    @Override
    public Watch createWatch(boolean ads, io.envoyproxy.controlplane.cache.XdsRequest request,
            Set<String> knownResourceNames, Consumer<Response> responseConsumer, boolean hasClusterChanged,
            boolean allowDefaultEmptyEdsUpdate) {
        Watch watch = new Watch(ads, allowDefaultEmptyEdsUpdate, request, responseConsumer);
        Optional<ProxyId> id = Proxies.identify(request.v3Request().getNode());
        ResourceType type = request.getResourceType();
        if (id.isEmpty() || type == null) {
            return watch; // the stream callbacks refuse such a stream; this watch never answers
        }
        Group group = group(id.get());
        synchronized (group) {
            if (group.snapshot != null && shouldRespond(group, request, type, knownResourceNames, hasClusterChanged)) {
                respond(group, watch);
                return watch;
            }
            long watchId = watchIds.incrementAndGet();
            group.watches.put(watchId, watch);
            watch.setStop(() -> {
                synchronized (group) {
                    group.watches.remove(watchId);
                }
            });
        }
        return watch;
    }

    private static boolean shouldRespond(Group group, io.envoyproxy.controlplane.cache.XdsRequest request,
            ResourceType type, Set<String> known, boolean hasClusterChanged) {
        String version = group.snapshot.version(type);
        if (request.hasErrorDetail() && version.equals(group.lastSent.get(type))) {
            group.rejected.put(type, version);
            return false;
        }
        if (version.equals(group.rejected.get(type))) {
            return false;
        }
        if (!request.getVersionInfo().equals(version)) {
            return true;
        }
        List<String> requested = request.getResourceNamesList();
        if (known.isEmpty() && isEnvoy(request)) {
            // A new stream that already holds this version (a reconnect, or a restart of this server):
            // versions are hashes of the group's whole set of the type, and Envoy asks for all the
            // names it needs at once, so it has them all. gRPC clients subscribe name by name and may
            // have lost an answer with the stream, so they get the resources again. Clusters sent on
            // this stream still need their endpoints to warm.
            return hasClusterChanged && type == ResourceType.ENDPOINT;
        }
        if (!requested.isEmpty() && !known.containsAll(requested)) {
            Map<String, VersionedResource<?>> resources = group.snapshot.get(type).resources();
            if (requested.stream().anyMatch(name -> !known.contains(name) && resources.containsKey(name))) {
                return true;
            }
        }
        if (!requested.isEmpty() && !isEnvoy(request)) {
            // `known` is what the stream's last answer held, not what the client still holds: a gRPC client that
            // drops a name deletes the resource (gRFC A27), so a name it drops and asks for again would look
            // known and never be sent. Answering whenever the names it asks for (that exist) differ from the last
            // answer's keeps the two equal: the answer to a narrower request makes the known set narrower too
            // (and an answer equal to the request is not repeated, so this cannot loop).
            Map<String, VersionedResource<?>> resources = group.snapshot.get(type).resources();
            java.util.Set<String> available = new java.util.HashSet<>();
            requested.stream().filter(resources::containsKey).forEach(available::add);
            if (!available.equals(known)) {
                return true;
            }
        }
        return hasClusterChanged && type == ResourceType.ENDPOINT;
    }

    private static boolean isEnvoy(io.envoyproxy.controlplane.cache.XdsRequest request) {
        return "envoy".equals(request.v3Request().getNode().getUserAgentName());
    }

    private static void respond(Group group, Watch watch) {
        ResourceType type = watch.request().getResourceType();
        TypeResources resources = group.snapshot.get(type);
        List<String> names = watch.request().getResourceNamesList();
        Collection<Message> selected = new ArrayList<>();
        if (names.isEmpty()) {
            resources.resources().values().forEach(r -> selected.add(r.resource()));
        } else {
            for (String name : names) {
                VersionedResource<?> resource = resources.resources().get(name);
                if (resource != null) {
                    selected.add(resource.resource());
                }
            }
        }
        group.lastSent.put(type, resources.version());
        try {
            watch.respond(Response.create(watch.request(), selected, resources.version()));
        } catch (WatchCancelledException e) {
            log.debug("watch for {} of {} was cancelled before it could be answered", type, group.id);
        }
    }

    @Override
    public DeltaWatch createDeltaWatch(DeltaXdsRequest request, String requesterVersion,
            Map<String, String> resourceVersions, Set<String> pendingResources, boolean isWildcard,
            Consumer<DeltaResponse> responseConsumer, boolean hasClusterChanged) {
        DeltaWatch watch = new DeltaWatch(request, Map.copyOf(resourceVersions), Set.copyOf(pendingResources),
                requesterVersion, isWildcard, responseConsumer);
        Optional<ProxyId> id = Proxies.identify(request.v3Request().getNode());
        ResourceType type = request.getResourceType();
        if (id.isEmpty() || type == null) {
            return watch;
        }
        Group group = group(id.get());
        synchronized (group) {
            if (group.snapshot != null) {
                String version = group.snapshot.version(type);
                if (request.hasErrorDetail() && version.equals(group.lastSent.get(type))) {
                    group.rejected.put(type, version);
                } else if (!version.equals(group.rejected.get(type))) {
                    DeltaResponse response = delta(group, watch, hasClusterChanged);
                    if (response != null) {
                        respondDelta(group, watch, response);
                        return watch;
                    }
                }
            }
            long watchId = watchIds.incrementAndGet();
            group.deltaWatches.put(watchId, watch);
            watch.setStop(() -> {
                synchronized (group) {
                    group.deltaWatches.remove(watchId);
                }
            });
        }
        return watch;
    }

    /** What a delta client lacks: changed and new resources, and the ones it tracks that are gone; null if nothing. */
    private static DeltaResponse delta(Group group, DeltaWatch watch, boolean force) {
        ResourceType type = watch.request().getResourceType();
        TypeResources resources = group.snapshot.get(type);
        Map<String, VersionedResource<?>> changed = new LinkedHashMap<>();
        Set<String> names = new HashSet<>(watch.trackedResources().keySet());
        names.addAll(watch.pendingResources());
        if (watch.isWildcard()) {
            names.addAll(resources.resources().keySet());
        }
        for (String name : names) {
            VersionedResource<?> resource = resources.resources().get(name);
            if (resource != null && !resource.version().equals(watch.trackedResources().get(name))) {
                changed.put(name, resource);
            }
        }
        List<String> removed = watch.trackedResources().keySet().stream()
                .filter(name -> !resources.resources().containsKey(name)).sorted().toList();
        if (changed.isEmpty() && removed.isEmpty() && !(force && type == ResourceType.ENDPOINT)) {
            return null;
        }
        return DeltaResponse.create(watch.request(), changed, removed, resources.version());
    }

    private static void respondDelta(Group group, DeltaWatch watch, DeltaResponse response) {
        group.lastSent.put(watch.request().getResourceType(), response.version());
        try {
            watch.respond(response);
        } catch (WatchCancelledException e) {
            log.debug("delta watch of {} was cancelled before it could be answered", group.id);
        }
    }
}
