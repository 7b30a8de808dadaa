package dev.meshplane.controlplane.traffic;

import dev.meshplane.api.resource.ResourceId;
import dev.meshplane.persistence.ResourceStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A mesh's traffic as its proxies report it (docs/traffic.md). */
@RestController
@RequestMapping("/v1/meshes/{meshName}")
@Tag(name = "Traffic", description = "Traffic between the mesh's nodes, as Envoy and gRPC clients report it over LRS")
class TrafficController {

    private final ResourceStore resources;
    private final TrafficReport report;
    private final TrafficProperties properties;

    TrafficController(ResourceStore resources, TrafficReport report, TrafficProperties properties) {
        this.resources = resources;
        this.report = report;
        this.properties = properties;
    }

    @GetMapping("/traffic")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "DescribeMeshTraffic", summary = "Requests, success and error rates per edge and per virtual node",
            description = "From the load reports of every proxy of the mesh (Envoy sidecars and gateways, proxyless gRPC"
                    + " clients), received by any replica: per edge (caller virtual node or gateway to a listener of a"
                    + " virtual node, with the virtual service it went through when the routing tells, else null) and per virtual node (inbound and outbound), requests per second over the window,"
                    + " success and error rates among finished requests, and requests in flight on average. Latency"
                    + " fields are null: load reports carry no latency.")
    TrafficReport.MeshTraffic traffic(@PathVariable String meshName,
            @Parameter(description = "how far back: a whole number of seconds, minutes or hours (30s, 5m, 1h), from"
                    + " meshplane.traffic.bucket to meshplane.traffic.retention; 5m by default")
            @RequestParam(defaultValue = "5m") String window) {
        TrafficWindow parsed = TrafficWindow.parse(window, properties);
        resources.describe(ResourceId.mesh(meshName));
        return report.of(meshName, parsed);
    }
}
