package dev.meshplane.controlplane.appmesh;

import dev.meshplane.api.model.CreateVirtualRouterRequest;
import dev.meshplane.api.model.VirtualRouterData;
import dev.meshplane.api.model.ListVirtualRoutersResponse;
import dev.meshplane.api.model.UpdateVirtualRouterRequest;
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

/** App Mesh's VirtualRouter operations. */
@RestController
@RequestMapping("/v20190125/meshes/{meshName}/virtualRouters")
@Tag(name = "VirtualRouter", description = "App Mesh virtual routers")
class VirtualRouterController {

    private final ResourceService service;
    private final ResourceViews views;

    VirtualRouterController(ResourceService service, ResourceViews views) {
        this.service = service;
        this.views = views;
    }

    @PutMapping
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'editor')")
    @Operation(operationId = "CreateVirtualRouter", summary = "Creates a virtual router",
            description = "Repeating a request with the same clientToken returns the resource it created.")
    ResponseEntity<VirtualRouterData> create(@PathVariable("meshName") String meshName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = CreateVirtualRouterRequest.class)))
            @RequestBody(required = false) byte[] body) {
        service.checkOwner(meshOwner, meshName);
        CreateVirtualRouterRequest request = RequestDecoder.decode(body, CreateVirtualRouterRequest.class);
        ResourceId id = new ResourceId(ResourceKind.VIRTUAL_ROUTER, meshName, "", request.virtualRouterName());
        StoredResource created = service.create(id, request.spec(), request.clientToken(), request.tags(), request);
        return Responses.ok(created, views.virtualRouter(created, false));
    }

    @GetMapping
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "ListVirtualRouters", summary = "Lists virtual routers, a page at a time")
    ListVirtualRoutersResponse list(@PathVariable("meshName") String meshName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @RequestParam(value = "limit", required = false) Integer limit,
            @RequestParam(value = "nextToken", required = false) String nextToken) {
        service.checkOwner(meshOwner, meshName);
        Page<StoredResource> page = service.list(ResourceKind.VIRTUAL_ROUTER, meshName, null, limit, nextToken);
        return new ListVirtualRoutersResponse(page.nextToken(), page.items().stream().map(views::virtualRouterRef).toList());
    }

    @GetMapping("/{virtualRouterName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "DescribeVirtualRouter", summary = "Describes a virtual router")
    ResponseEntity<VirtualRouterData> describe(@PathVariable("meshName") String meshName,
            @PathVariable("virtualRouterName") String virtualRouterName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner) {
        service.checkOwner(meshOwner, meshName);
        StoredResource found = service.describe(new ResourceId(ResourceKind.VIRTUAL_ROUTER, meshName, "", virtualRouterName));
        return Responses.ok(found, views.virtualRouter(found, false));
    }

    @PutMapping("/{virtualRouterName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'editor')")
    @Operation(operationId = "UpdateVirtualRouter", summary = "Replaces the spec of a virtual router",
            description = "The version increments by one. An If-Match header with an older version gets 412."
                    + " Refused (BadRequestException naming it) when a route or gateway route would lose the"
                    + " listener it is served by or targets, or a gateway route's target listener would change to a"
                    + " protocol that cannot carry it; a second listener may come while routes have no match.port"
                    + " (they must give it when next written).")
    ResponseEntity<VirtualRouterData> update(@PathVariable("meshName") String meshName,
            @PathVariable("virtualRouterName") String virtualRouterName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = UpdateVirtualRouterRequest.class)))
            @RequestBody(required = false) byte[] body) {
        service.checkOwner(meshOwner, meshName);
        UpdateVirtualRouterRequest request = RequestDecoder.decode(body, UpdateVirtualRouterRequest.class);
        StoredResource updated = service.update(new ResourceId(ResourceKind.VIRTUAL_ROUTER, meshName, "", virtualRouterName), request.spec(), request.clientToken(),
                Responses.ifMatch(ifMatch), request);
        return Responses.ok(updated, views.virtualRouter(updated, false));
    }

    @DeleteMapping("/{virtualRouterName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'editor')")
    @Operation(operationId = "DeleteVirtualRouter", summary = "Deletes a virtual router",
            description = "Answers ResourceInUseException while other resources depend on it.")
    ResponseEntity<VirtualRouterData> delete(@PathVariable("meshName") String meshName,
            @PathVariable("virtualRouterName") String virtualRouterName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        service.checkOwner(meshOwner, meshName);
        StoredResource deleted = service.delete(new ResourceId(ResourceKind.VIRTUAL_ROUTER, meshName, "", virtualRouterName), Responses.ifMatch(ifMatch));
        return Responses.ok(deleted, views.virtualRouter(deleted, true));
    }
}
