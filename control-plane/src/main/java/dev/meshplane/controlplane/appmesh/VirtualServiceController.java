package dev.meshplane.controlplane.appmesh;

import dev.meshplane.api.model.CreateVirtualServiceRequest;
import dev.meshplane.api.model.VirtualServiceData;
import dev.meshplane.api.model.ListVirtualServicesResponse;
import dev.meshplane.api.model.UpdateVirtualServiceRequest;
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

/** App Mesh's VirtualService operations. */
@RestController
@RequestMapping("/v20190125/meshes/{meshName}/virtualServices")
@Tag(name = "VirtualService", description = "App Mesh virtual services")
class VirtualServiceController {

    private final ResourceService service;
    private final ResourceViews views;

    VirtualServiceController(ResourceService service, ResourceViews views) {
        this.service = service;
        this.views = views;
    }

    @PutMapping
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'editor')")
    @Operation(operationId = "CreateVirtualService", summary = "Creates a virtual service",
            description = "Repeating a request with the same clientToken returns the resource it created.")
    ResponseEntity<VirtualServiceData> create(@PathVariable("meshName") String meshName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = CreateVirtualServiceRequest.class)))
            @RequestBody(required = false) byte[] body) {
        service.checkOwner(meshOwner, meshName);
        CreateVirtualServiceRequest request = RequestDecoder.decode(body, CreateVirtualServiceRequest.class);
        ResourceId id = new ResourceId(ResourceKind.VIRTUAL_SERVICE, meshName, "", request.virtualServiceName());
        StoredResource created = service.create(id, request.spec(), request.clientToken(), request.tags(), request);
        return Responses.ok(created, views.virtualService(created, false));
    }

    @GetMapping
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "ListVirtualServices", summary = "Lists virtual services, a page at a time")
    ListVirtualServicesResponse list(@PathVariable("meshName") String meshName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @RequestParam(value = "limit", required = false) Integer limit,
            @RequestParam(value = "nextToken", required = false) String nextToken) {
        service.checkOwner(meshOwner, meshName);
        Page<StoredResource> page = service.list(ResourceKind.VIRTUAL_SERVICE, meshName, null, limit, nextToken);
        return new ListVirtualServicesResponse(page.nextToken(), page.items().stream().map(views::virtualServiceRef).toList());
    }

    @GetMapping("/{virtualServiceName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "DescribeVirtualService", summary = "Describes a virtual service")
    ResponseEntity<VirtualServiceData> describe(@PathVariable("meshName") String meshName,
            @PathVariable("virtualServiceName") String virtualServiceName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner) {
        service.checkOwner(meshOwner, meshName);
        StoredResource found = service.describe(new ResourceId(ResourceKind.VIRTUAL_SERVICE, meshName, "", virtualServiceName));
        return Responses.ok(found, views.virtualService(found, false));
    }

    @PutMapping("/{virtualServiceName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'editor')")
    @Operation(operationId = "UpdateVirtualService", summary = "Replaces the spec of a virtual service",
            description = "The version increments by one. An If-Match header with an older version gets 412."
                    + " Refused (BadRequestException naming it) when a route or gateway route would lose the"
                    + " listener it is served by or targets, or a gateway route would reach a provider listener"
                    + " that cannot carry it (a grpcRoute an http one, any gateway route a tcp one).")
    ResponseEntity<VirtualServiceData> update(@PathVariable("meshName") String meshName,
            @PathVariable("virtualServiceName") String virtualServiceName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = UpdateVirtualServiceRequest.class)))
            @RequestBody(required = false) byte[] body) {
        service.checkOwner(meshOwner, meshName);
        UpdateVirtualServiceRequest request = RequestDecoder.decode(body, UpdateVirtualServiceRequest.class);
        StoredResource updated = service.update(new ResourceId(ResourceKind.VIRTUAL_SERVICE, meshName, "", virtualServiceName), request.spec(), request.clientToken(),
                Responses.ifMatch(ifMatch), request);
        return Responses.ok(updated, views.virtualService(updated, false));
    }

    @DeleteMapping("/{virtualServiceName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'editor')")
    @Operation(operationId = "DeleteVirtualService", summary = "Deletes a virtual service",
            description = "Answers ResourceInUseException while other resources depend on it.")
    ResponseEntity<VirtualServiceData> delete(@PathVariable("meshName") String meshName,
            @PathVariable("virtualServiceName") String virtualServiceName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        service.checkOwner(meshOwner, meshName);
        StoredResource deleted = service.delete(new ResourceId(ResourceKind.VIRTUAL_SERVICE, meshName, "", virtualServiceName), Responses.ifMatch(ifMatch));
        return Responses.ok(deleted, views.virtualService(deleted, true));
    }
}
