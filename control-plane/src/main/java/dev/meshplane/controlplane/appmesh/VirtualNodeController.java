package dev.meshplane.controlplane.appmesh;

import dev.meshplane.api.model.CreateVirtualNodeRequest;
import dev.meshplane.api.model.VirtualNodeData;
import dev.meshplane.api.model.ListVirtualNodesResponse;
import dev.meshplane.api.model.UpdateVirtualNodeRequest;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.controlplane.authorization.MeshPermissionEvaluator;
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

/** App Mesh's VirtualNode operations. */
@RestController
@RequestMapping("/v20190125/meshes/{meshName}/virtualNodes")
@Tag(name = "VirtualNode", description = "App Mesh virtual nodes")
class VirtualNodeController {

    private final ResourceService service;
    private final ResourceViews views;
    private final MeshPermissionEvaluator permissions;

    VirtualNodeController(ResourceService service, ResourceViews views, MeshPermissionEvaluator permissions) {
        this.service = service;
        this.views = views;
        this.permissions = permissions;
    }

    @PutMapping
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'editor')")
    @Operation(operationId = "CreateVirtualNode", summary = "Creates a virtual node",
            description = "Repeating a request with the same clientToken returns the resource it created. A node"
                    + " with listeners needs serviceDiscovery (awsCloudMap or dns), as App Mesh requires"
                    + " (BadRequestException naming spec.serviceDiscovery).")
    ResponseEntity<VirtualNodeData> create(@PathVariable("meshName") String meshName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = CreateVirtualNodeRequest.class)))
            @RequestBody(required = false) byte[] body) {
        service.checkOwner(meshOwner, meshName);
        CreateVirtualNodeRequest request = RequestDecoder.decode(body, CreateVirtualNodeRequest.class);
        permissions.checkRegistrySelection(meshName, null, request.spec());
        ResourceId id = new ResourceId(ResourceKind.VIRTUAL_NODE, meshName, "", request.virtualNodeName());
        StoredResource created = service.create(id, request.spec(), request.clientToken(), request.tags(), request);
        return Responses.ok(created, views.virtualNode(created, false));
    }

    @GetMapping
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "ListVirtualNodes", summary = "Lists virtual nodes, a page at a time")
    ListVirtualNodesResponse list(@PathVariable("meshName") String meshName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @RequestParam(value = "limit", required = false) Integer limit,
            @RequestParam(value = "nextToken", required = false) String nextToken) {
        service.checkOwner(meshOwner, meshName);
        Page<StoredResource> page = service.list(ResourceKind.VIRTUAL_NODE, meshName, null, limit, nextToken);
        return new ListVirtualNodesResponse(page.nextToken(), page.items().stream().map(views::virtualNodeRef).toList());
    }

    @GetMapping("/{virtualNodeName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "DescribeVirtualNode", summary = "Describes a virtual node")
    ResponseEntity<VirtualNodeData> describe(@PathVariable("meshName") String meshName,
            @PathVariable("virtualNodeName") String virtualNodeName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner) {
        service.checkOwner(meshOwner, meshName);
        StoredResource found = service.describe(new ResourceId(ResourceKind.VIRTUAL_NODE, meshName, "", virtualNodeName));
        return Responses.ok(found, views.virtualNode(found, false));
    }

    @PutMapping("/{virtualNodeName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'editor')")
    @Operation(operationId = "UpdateVirtualNode", summary = "Replaces the spec of a virtual node",
            description = "The version increments by one. An If-Match header with an older version gets 412."
                    + " Refused (BadRequestException naming it) when a route or gateway route would lose the"
                    + " listener it is served by or targets, or a route's (gateway route's) target listener would"
                    + " change to a protocol that cannot carry it; a listener's healthCheck.port must be its own port;"
                    + " a node with listeners needs serviceDiscovery, as App Mesh requires.")
    ResponseEntity<VirtualNodeData> update(@PathVariable("meshName") String meshName,
            @PathVariable("virtualNodeName") String virtualNodeName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = UpdateVirtualNodeRequest.class)))
            @RequestBody(required = false) byte[] body) {
        service.checkOwner(meshOwner, meshName);
        UpdateVirtualNodeRequest request = RequestDecoder.decode(body, UpdateVirtualNodeRequest.class);
        ResourceId id = new ResourceId(ResourceKind.VIRTUAL_NODE, meshName, "", virtualNodeName);
        permissions.checkRegistrySelection(meshName, ResourceViews.spec(service.describe(id), VirtualNodeSpec.class), request.spec());
        StoredResource updated = service.update(id, request.spec(), request.clientToken(), Responses.ifMatch(ifMatch), request);
        return Responses.ok(updated, views.virtualNode(updated, false));
    }

    @DeleteMapping("/{virtualNodeName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'editor')")
    @Operation(operationId = "DeleteVirtualNode", summary = "Deletes a virtual node",
            description = "Answers ResourceInUseException while other resources depend on it.")
    ResponseEntity<VirtualNodeData> delete(@PathVariable("meshName") String meshName,
            @PathVariable("virtualNodeName") String virtualNodeName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        service.checkOwner(meshOwner, meshName);
        StoredResource deleted = service.delete(new ResourceId(ResourceKind.VIRTUAL_NODE, meshName, "", virtualNodeName), Responses.ifMatch(ifMatch));
        return Responses.ok(deleted, views.virtualNode(deleted, true));
    }
}
