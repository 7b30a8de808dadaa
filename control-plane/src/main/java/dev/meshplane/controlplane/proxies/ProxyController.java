package dev.meshplane.controlplane.proxies;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.meshplane.api.error.ApiException;
import dev.meshplane.controlplane.authorization.MeshPermissionEvaluator;
import dev.meshplane.controlplane.xds.ConfigPublisher;
import dev.meshplane.controlplane.xds.ProxyCache;
import dev.meshplane.controlplane.xds.ProxySnapshot;
import dev.meshplane.controlplane.xds.ProxyStatusTracker;
import dev.meshplane.controlplane.xds.ProxyStatusTracker.ProxyStatus;
import dev.meshplane.snapshot.EnvoyTypes;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What every connected proxy is, what it was sent and what it accepted or rejected. */
@RestController
@Tag(name = "Proxies", description = "Connected proxies, their xDS status and their configuration")
class ProxyController {

    private static final String CONFIG_SUFFIX = "/config";
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(EnvoyTypes.REGISTRY);

    private final ProxyStatusTracker tracker;
    private final ProxyCache cache;
    private final ConfigPublisher publisher;
    private final MeshPermissionEvaluator permissions;

    ProxyController(ProxyStatusTracker tracker, ProxyCache cache, ConfigPublisher publisher,
            MeshPermissionEvaluator permissions) {
        this.tracker = tracker;
        this.cache = cache;
        this.publisher = publisher;
        this.permissions = permissions;
    }

    /** One connected proxy, as the status API shows it. */
    record ProxyView(String nodeId, String mesh, String kind, String name, String userAgent, long streamId,
            Instant connectedSince, long responses, Map<String, TypeStatus> types, ProxyStatusTracker.Nack lastNack,
            String translationError, List<String> translationNotes) {
    }

    /** For one xDS type: the version last sent and the version last accepted. */
    record TypeStatus(String sent, String acked) {
    }

    @GetMapping("/v1/proxies")
    @PreAuthorize("hasPermission(null, 'anyMesh', 'viewer')")
    @Operation(operationId = "ListProxies", summary = "Lists connected proxies with their xDS status",
            description = "One entry per xDS stream: node id, mesh, kind (sidecar, gateway, grpc_client) and name,"
                    + " connected since, per resource type the version last sent and last ACKed, the last NACK"
                    + " with the proxy's own error message (its type, message and the user agent kept to 4,096 characters),"
                    + " any translation error, and translationNotes: what was left"
                    + " out of the configuration sent on purpose, or sent in another shape (for gRPC clients: routes they skip, and routes whose"
                    + " calls fail with UNAVAILABLE because no target can take them, where Envoy answers 503), and each shadowed route: one"
                    + " that a route before it in the same virtual host matches every request of, so it is never taken"
                    + " (both named; docs/xds.md, \"Shadowed routes\"), and each virtual gateway listener connectionPool or"
                    + " healthCheck, which gateways do not apply (docs/xds.md, \"Virtual gateways\"); each note ends with what"
                    + " to change. Only proxies of meshes the caller may read are listed.")
    Map<String, List<ProxyView>> list() {
        List<ProxyView> views = new ArrayList<>();
        for (ProxyStatus status : tracker.proxies()) {
            if (!permissions.mayRead(status.proxy().mesh())) {
                continue;
            }
            Map<String, TypeStatus> types = new LinkedHashMap<>();
            status.sent().forEach((type, version) -> types.put(shortType(type),
                    new TypeStatus(version, status.acked().get(type))));
            status.acked().forEach((type, version) -> types.putIfAbsent(shortType(type), new TypeStatus(null, version)));
            views.add(new ProxyView(status.nodeId(), status.proxy().mesh(), status.proxy().kind().name().toLowerCase(),
                    status.proxy().name(), status.userAgent(), status.streamId(), status.connectedSince(), status.responses(), types,
                    status.lastNack(), publisher.translationError(status.proxy().groupKey()).orElse(null),
                    publisher.translationNotes(status.proxy().groupKey())));
        }
        return Map.of("proxies", views);
    }

    /** {@code /v1/proxies/<node id>/config}; node ids contain slashes, so the path is taken apart here. */
    @GetMapping(value = "/v1/proxies/**", produces = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasPermission(null, 'anyMesh', 'viewer')")
    @Operation(operationId = "DescribeProxyConfig", summary = "The resources a connected proxy is being sent",
            description = "GET /v1/proxies/{nodeId}/config, for example /v1/proxies/mesh/prod/virtualNode/web-v1/config:"
                    + " clusters, endpoints, listeners and routes as JSON, with the version of each type. A proxy of a"
                    + " mesh the caller may not read gets the same 404 as one that is not connected.")
    ResponseEntity<String> config(HttpServletRequest request) throws InvalidProtocolBufferException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String rest = java.net.URLDecoder.decode(path.substring("/v1/proxies/".length()), java.nio.charset.StandardCharsets.UTF_8);
        if (!rest.endsWith(CONFIG_SUFFIX)) {
            throw ApiException.notFound("no operation at GET " + path + "; use /v1/proxies/{nodeId}/config");
        }
        String nodeId = rest.substring(0, rest.length() - CONFIG_SUFFIX.length());
        // another mesh's proxy answers as one that is not connected: the 404 tells nothing about it
        ProxyStatus status = tracker.byNodeId(nodeId).filter(s -> permissions.mayRead(s.proxy().mesh())).orElseThrow(() ->
                ApiException.notFound("no proxy with node id '" + nodeId + "' is connected"));
        ProxySnapshot snapshot = cache.snapshot(status.proxy().groupKey()).orElseThrow(() ->
                ApiException.notFound("proxy '" + nodeId + "' has no configuration yet"));
        StringBuilder json = new StringBuilder("{\"nodeId\":").append(quote(nodeId))
                .append(",\"group\":").append(quote(status.proxy().groupKey()));
        for (ResourceType type : List.of(ResourceType.LISTENER, ResourceType.ROUTE, ResourceType.CLUSTER,
                ResourceType.ENDPOINT)) {
            ProxySnapshot.TypeResources resources = snapshot.get(type);
            json.append(",\"").append(type.name().toLowerCase()).append("s\":{\"version\":")
                    .append(quote(resources.version())).append(",\"resources\":[");
            boolean first = true;
            for (var resource : resources.resources().values()) {
                json.append(first ? "" : ",").append(PRINTER.print((Message) resource.resource()));
                first = false;
            }
            json.append("]}");
        }
        return ResponseEntity.ok(json.append('}').toString());
    }

    private static String shortType(String typeUrl) {
        return typeUrl.substring(typeUrl.lastIndexOf('.') + 1);
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
