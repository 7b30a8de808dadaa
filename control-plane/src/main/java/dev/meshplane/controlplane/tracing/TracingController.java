package dev.meshplane.controlplane.tracing;

import dev.meshplane.api.resource.ResourceId;
import dev.meshplane.api.tracing.MeshTracingData;
import dev.meshplane.api.tracing.TracingSpec;
import dev.meshplane.api.validation.RequestDecoder;
import dev.meshplane.controlplane.appmesh.Responses;
import dev.meshplane.persistence.ResourceStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A mesh's tracing settings: the tracer its Envoys report spans to (X-Ray, Zipkin or OpenTelemetry). */
@RestController
@RequestMapping("/v1/meshes/{meshName}/tracing")
@Tag(name = "Tracing", description = "Per-mesh tracing: X-Ray, Zipkin or OpenTelemetry in every Envoy of the mesh")
class TracingController {

    private final ResourceStore resources;
    private final MeshTracing tracing;

    TracingController(ResourceStore resources, MeshTracing tracing) {
        this.resources = resources;
        this.tracing = tracing;
    }

    @GetMapping
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "DescribeMeshTracing", summary = "The mesh's tracing settings (404 while tracing is off)",
            description = "The ETag header carries the version, for If-Match on the next PUT or DELETE.")
    ResponseEntity<MeshTracingData> describe(@PathVariable String meshName) {
        resources.describe(ResourceId.mesh(meshName));
        return withETag(tracing.get(meshName));
    }

    @PutMapping
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'admin')")
    @Operation(operationId = "PutMeshTracing", summary = "Turns tracing on for every Envoy of the mesh, or changes its settings",
            description = "Every sidecar and gateway of the mesh is sent its connection managers' tracer (and, for Zipkin"
                    + " and OpenTelemetry, the collector's cluster) at once; proxies of other meshes and gRPC proxyless"
                    + " clients are sent nothing. The version increments by one; an If-Match header with another version"
                    + " gets 412 PreconditionFailedException and changes nothing.")
    ResponseEntity<MeshTracingData> put(@PathVariable String meshName,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = TracingSpec.class)))
            @RequestBody(required = false) byte[] body) {
        Long expected = Responses.ifMatch(ifMatch);
        resources.describe(ResourceId.mesh(meshName));
        return withETag(tracing.put(meshName, RequestDecoder.decode(body, TracingSpec.class), expected));
    }

    @DeleteMapping
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'admin')")
    @Operation(operationId = "DeleteMeshTracing", summary = "Turns tracing off for the mesh; answers the settings it removed",
            description = "404 when tracing is already off; an If-Match header with another version gets 412.")
    MeshTracingData delete(@PathVariable String meshName,
            @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        Long expected = Responses.ifMatch(ifMatch);
        resources.describe(ResourceId.mesh(meshName));
        return tracing.delete(meshName, expected);
    }

    private static ResponseEntity<MeshTracingData> withETag(MeshTracingData data) {
        return ResponseEntity.ok().eTag("\"" + data.version() + "\"").body(data);
    }
}
