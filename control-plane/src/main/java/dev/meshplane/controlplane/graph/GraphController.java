package dev.meshplane.controlplane.graph;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.resource.ResourceId;
import dev.meshplane.api.validation.TextRules;
import dev.meshplane.controlplane.traffic.TrafficProperties;
import dev.meshplane.controlplane.traffic.TrafficWindow;
import dev.meshplane.persistence.ResourceStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/meshes/{mesh}/graph}: the service graph as JSON, Graphviz DOT or SVG (docs/traffic.md). */
@RestController
@Tag(name = "Traffic", description = "Traffic between the mesh's nodes, as Envoy and gRPC clients report it over LRS")
class GraphController {

    static final MediaType DOT = MediaType.parseMediaType("text/vnd.graphviz");
    static final MediaType SVG = MediaType.parseMediaType("image/svg+xml");
    private static final List<String> FORMATS = List.of("json", "dot", "svg");

    private final ResourceStore resources;
    private final ServiceGraphBuilder builder;
    private final TrafficProperties properties;

    GraphController(ResourceStore resources, ServiceGraphBuilder builder, TrafficProperties properties) {
        this.resources = resources;
        this.builder = builder;
        this.properties = properties;
    }

    @GetMapping("/v1/meshes/{meshName}/graph")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "DescribeMeshGraph", summary = "The mesh as a graph: resources, configured edges, live traffic, proxies",
            description = "Nodes: virtual services, routers, nodes and gateways; virtual nodes and gateways with the proxies"
                    + " connected to this replica (counted as acked, nacked or pending, each with its last NACK), virtual nodes"
                    + " with their inbound and outbound traffic. Edges: backend (node to virtual service), provider (virtual"
                    + " service to router or node), route (router to node, one per weighted target, with weight and port, and"
                    + " shadowedBy: the route before it that matches every request it matches, when one does),"
                    + " gatewayRoute (gateway to virtual service), and traffic (caller to callee node over the window, as the"
                    + " traffic API counts it, with the virtual service it went through when the routing tells, and health:"
                    + " healthy below 1% errors, degraded below 10%, failing from 10%, idle when nothing finished)."
                    + " JSON by default; format=dot or Accept: text/vnd.graphviz for Graphviz DOT; format=svg or Accept:"
                    + " image/svg+xml for an SVG laid out by the server.",
            responses = @ApiResponse(responseCode = "200", description = "the graph", content = {
                @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ServiceGraph.class)),
                @Content(mediaType = "text/vnd.graphviz", schema = @Schema(type = "string")),
                @Content(mediaType = "image/svg+xml", schema = @Schema(type = "string"))}))
    ResponseEntity<?> graph(@PathVariable String meshName,
            @Parameter(description = "how far back the traffic goes, as the traffic API's window: 30s, 5m, 1h; 5m by default")
            @RequestParam(defaultValue = "5m") String window,
            @Parameter(description = "json, dot or svg; without it the Accept header decides, JSON by default")
            @RequestParam(required = false) String format,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        String chosen = format(format, accept);
        TrafficWindow parsed = TrafficWindow.parse(window, properties);
        resources.describe(ResourceId.mesh(meshName));
        ServiceGraph graph = builder.build(meshName, parsed);
        return switch (chosen) {
            case "dot" -> ResponseEntity.ok().contentType(DOT).body(DotWriter.write(graph));
            case "svg" -> ResponseEntity.ok().contentType(SVG).body(SvgWriter.write(graph));
            default -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(graph);
        };
    }

    /** The format asked for: the parameter when given, else the first of DOT or SVG the Accept header names, else JSON. */
    private static String format(String format, String accept) {
        if (format != null) {
            if (!FORMATS.contains(format)) {
                throw ApiException.badRequest("format: '" + TextRules.printable(format) + "' is not one of json, dot, svg");
            }
            return format;
        }
        if (accept != null) {
            try {
                for (MediaType type : MediaType.parseMediaTypes(accept)) {
                    if (type.equalsTypeAndSubtype(DOT)) {
                        return "dot";
                    }
                    if (type.equalsTypeAndSubtype(SVG)) {
                        return "svg";
                    }
                }
            } catch (org.springframework.http.InvalidMediaTypeException e) {
                throw ApiException.badRequest("Accept: '" + TextRules.printable(accept) + "' is not a list of media types");
            }
        }
        return "json";
    }
}
