package dev.meshplane.controlplane.export;

import dev.meshplane.api.importing.ApplyDocument;
import dev.meshplane.api.importing.ApplyKinds;
import dev.meshplane.api.importing.ApplyResource;
import dev.meshplane.api.resource.ResourceKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Creates an imported apply document's resources through the App Mesh API, one Create* call each, parents and
 * providers first: what {@code POST /v1/apply} will do in one transaction, done here with the API as it is.
 */
public final class ResourcesThroughApi {

    private static final List<ResourceKind> ORDER = List.of(ResourceKind.MESH, ResourceKind.VIRTUAL_NODE,
            ResourceKind.VIRTUAL_ROUTER, ResourceKind.ROUTE, ResourceKind.VIRTUAL_SERVICE, ResourceKind.VIRTUAL_GATEWAY,
            ResourceKind.GATEWAY_ROUTE);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ResourcesThroughApi() {
    }

    /** Each resource's Create* answer, by {@link ApplyResource#describe()}, in the order they were sent. */
    public static Map<String, HttpResponse<String>> create(int port, ApplyDocument document)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        for (ResourceKind kind : ORDER) {
            for (ApplyResource resource : document.resources()) {
                if (resource.kind() != kind) {
                    continue;
                }
                ObjectNode body = JSON.createObjectNode();
                body.put(ApplyKinds.nameMember(kind), resource.name());
                body.set("spec", resource.spec());
                var tags = body.putArray("tags");
                resource.tags().forEach(tag -> tags.addObject().put("key", tag.key()).put("value", tag.value()));
                String meshes = "/v20190125/meshes";
                String path = switch (kind) {
                    case MESH -> meshes;
                    case ROUTE -> meshes + "/" + resource.meshName() + "/virtualRouter/" + resource.parentName() + "/routes";
                    case GATEWAY_ROUTE -> meshes + "/" + resource.meshName() + "/virtualGateway/" + resource.parentName()
                            + "/gatewayRoutes";
                    default -> meshes + "/" + resource.meshName() + "/" + kind.arnSegment() + "s";
                };
                answers.put(resource.describe(), http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
        }
        return answers;
    }
}
