package dev.meshplane.controlplane.appmesh;

import dev.meshplane.api.model.CreateVirtualGatewayRequest;
import dev.meshplane.api.model.VirtualGatewayData;
import dev.meshplane.api.model.ListVirtualGatewaysResponse;
import dev.meshplane.api.model.UpdateVirtualGatewayRequest;
import dev.meshplane.api.resource.ResourceId;
import dev.meshplane.api.resource.ResourceKind;
import dev.meshplane.api.validation.RequestDecoder;
import dev.meshplane.persistence.Page;
import dev.meshplane.persistence.StoredResource;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** App Mesh's VirtualGateway operations. */
@RestController
@RequestMapping("/v20190125/meshes/{meshName}/virtualGateways")
@Tag(name = "VirtualGateway", description = "App Mesh virtual gateways")
class VirtualGatewayController {

    private final ResourceService service;
    private final ResourceViews views;

    VirtualGatewayController(ResourceService service, ResourceViews views) {
        this.service = service;
        this.views = views;
    }

    @PutMapping
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'editor')")
    @Operation(operationId = "CreateVirtualGateway", summary = "Creates a virtual gateway",
            description = "Repeating a request with the same clientToken returns the resource it created.")
    ResponseEntity<VirtualGatewayData> create(@PathVariable("meshName") String meshName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = CreateVirtualGatewayRequest.class)))
            @RequestBody(required = false) byte[] body) {
        service.checkOwner(meshOwner, meshName);
        CreateVirtualGatewayRequest request = RequestDecoder.decode(body, CreateVirtualGatewayRequest.class);
        ResourceId id = new ResourceId(ResourceKind.VIRTUAL_GATEWAY, meshName, "", request.virtualGatewayName());
        StoredResource created = service.create(id, request.spec(), request.clientToken(), request.tags(), request);
        return Responses.ok(created, views.virtualGateway(created, false));
    }

    @GetMapping
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "ListVirtualGateways", summary = "Lists virtual gateways, a page at a time")
    ListVirtualGatewaysResponse list(@PathVariable("meshName") String meshName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @RequestParam(value = "limit", required = false) Integer limit,
            @RequestParam(value = "nextToken", required = false) String nextToken) {
        service.checkOwner(meshOwner, meshName);
        Page<StoredResource> page = service.list(ResourceKind.VIRTUAL_GATEWAY, meshName, null, limit, nextToken);
        return new ListVirtualGatewaysResponse(page.nextToken(), page.items().stream().map(views::virtualGatewayRef).toList());
    }

    @GetMapping("/{virtualGatewayName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "DescribeVirtualGateway", summary = "Describes a virtual gateway")
    ResponseEntity<VirtualGatewayData> describe(@PathVariable("meshName") String meshName,
            @PathVariable("virtualGatewayName") String virtualGatewayName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner) {
        service.checkOwner(meshOwner, meshName);
        StoredResource found = service.describe(new ResourceId(ResourceKind.VIRTUAL_GATEWAY, meshName, "", virtualGatewayName));
        return Responses.ok(found, views.virtualGateway(found, false));
    }

    @PutMapping("/{virtualGatewayName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'editor')")
    @Operation(operationId = "UpdateVirtualGateway", summary = "Replaces the spec of a virtual gateway",
            description = "The version increments by one. An If-Match header with an older version gets 412."
                    + " Refused (BadRequestException naming it) when a gateway route would lose its listener; a second"
                    + " listener may come while gateway routes have no match.port (they must give it when next"
                    + " written); a listener's healthCheck.port must be its own port.")
    ResponseEntity<VirtualGatewayData> update(@PathVariable("meshName") String meshName,
            @PathVariable("virtualGatewayName") String virtualGatewayName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = UpdateVirtualGatewayRequest.class)))
            @RequestBody(required = false) byte[] body) {
        service.checkOwner(meshOwner, meshName);
        UpdateVirtualGatewayRequest request = RequestDecoder.decode(body, UpdateVirtualGatewayRequest.class);
        StoredResource updated = service.update(new ResourceId(ResourceKind.VIRTUAL_GATEWAY, meshName, "", virtualGatewayName), request.spec(), request.clientToken(),
                Responses.ifMatch(ifMatch), request);
        return Responses.ok(updated, views.virtualGateway(updated, false));
    }

    @DeleteMapping("/{virtualGatewayName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'editor')")
    @Operation(operationId = "DeleteVirtualGateway", summary = "Deletes a virtual gateway",
            description = "Answers ResourceInUseException while other resources depend on it.")
    ResponseEntity<VirtualGatewayData> delete(@PathVariable("meshName") String meshName,
            @PathVariable("virtualGatewayName") String virtualGatewayName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        service.checkOwner(meshOwner, meshName);
        StoredResource deleted = service.delete(new ResourceId(ResourceKind.VIRTUAL_GATEWAY, meshName, "", virtualGatewayName), Responses.ifMatch(ifMatch));
        return Responses.ok(deleted, views.virtualGateway(deleted, true));
    }
}
