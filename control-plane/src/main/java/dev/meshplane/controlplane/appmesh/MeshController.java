package dev.meshplane.controlplane.appmesh;

import dev.meshplane.api.model.CreateMeshRequest;
import dev.meshplane.api.model.ListMeshesResponse;
import dev.meshplane.api.model.MeshData;
import dev.meshplane.api.model.UpdateMeshRequest;
import dev.meshplane.api.resource.ResourceId;
import dev.meshplane.api.validation.RequestDecoder;
import dev.meshplane.controlplane.authorization.MeshPermissionEvaluator;
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

/** App Mesh's Mesh operations. */
@RestController
@RequestMapping("/v20190125/meshes")
@Tag(name = "Mesh", description = "App Mesh service meshes: the boundary that holds every other resource")
class MeshController {

    private final ResourceService service;
    private final ResourceViews views;
    private final MeshPermissionEvaluator permissions;

    MeshController(ResourceService service, ResourceViews views, MeshPermissionEvaluator permissions) {
        this.service = service;
        this.views = views;
        this.permissions = permissions;
    }

    @PutMapping
    @PreAuthorize("hasPermission(null, 'allMeshes', 'admin')")
    @Operation(operationId = "CreateMesh", summary = "Creates a service mesh",
            description = "Without an egress filter the mesh gets DROP_ALL, as in App Mesh."
                    + " Repeating a request with the same clientToken returns the mesh it created.")
    ResponseEntity<MeshData> create(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = CreateMeshRequest.class)))
            @RequestBody(required = false) byte[] body) {
        CreateMeshRequest request = RequestDecoder.decode(body, CreateMeshRequest.class);
        StoredResource created = service.create(ResourceId.mesh(request.meshName()), ResourceService.meshSpecWithDefaults(request.spec()),
                request.clientToken(), request.tags(), request);
        return Responses.ok(created, views.mesh(created, false));
    }

    @GetMapping
    @PreAuthorize("hasPermission(null, 'anyMesh', 'viewer')")
    @Operation(operationId = "ListMeshes", summary = "Lists service meshes, a page at a time",
            description = "With authentication on, only the meshes the caller may read are listed, and nextToken"
                    + " pages through those alone.")
    ListMeshesResponse list(@RequestParam(value = "limit", required = false) Integer limit,
            @RequestParam(value = "nextToken", required = false) String nextToken) {
        Page<StoredResource> page = service.listMeshes(permissions.readableMeshes(), limit, nextToken);
        return new ListMeshesResponse(page.items().stream().map(views::meshRef).toList(), page.nextToken());
    }

    @GetMapping("/{meshName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "DescribeMesh", summary = "Describes a service mesh")
    ResponseEntity<MeshData> describe(@PathVariable("meshName") String meshName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner) {
        service.checkOwner(meshOwner, meshName);
        StoredResource found = service.describe(ResourceId.mesh(meshName));
        return Responses.ok(found, views.mesh(found, false));
    }

    @PutMapping("/{meshName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'admin')")
    @Operation(operationId = "UpdateMesh", summary = "Replaces the spec of a service mesh",
            description = "The version increments by one. An If-Match header with an older version gets 412.")
    ResponseEntity<MeshData> update(@PathVariable("meshName") String meshName,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = UpdateMeshRequest.class)))
            @RequestBody(required = false) byte[] body) {
        UpdateMeshRequest request = RequestDecoder.decode(body, UpdateMeshRequest.class);
        StoredResource updated = service.update(ResourceId.mesh(meshName), ResourceService.meshSpecWithDefaults(request.spec()),
                request.clientToken(), Responses.ifMatch(ifMatch), request);
        return Responses.ok(updated, views.mesh(updated, false));
    }

    @DeleteMapping("/{meshName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'admin')")
    @Operation(operationId = "DeleteMesh", summary = "Deletes a service mesh",
            description = "Answers ResourceInUseException while the mesh holds any resource.")
    ResponseEntity<MeshData> delete(@PathVariable("meshName") String meshName,
            @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        StoredResource deleted = service.delete(ResourceId.mesh(meshName), Responses.ifMatch(ifMatch));
        return Responses.ok(deleted, views.mesh(deleted, true));
    }
}
