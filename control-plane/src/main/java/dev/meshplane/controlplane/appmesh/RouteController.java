package dev.meshplane.controlplane.appmesh;

import dev.meshplane.api.model.CreateRouteRequest;
import dev.meshplane.api.model.RouteData;
import dev.meshplane.api.model.ListRoutesResponse;
import dev.meshplane.api.model.UpdateRouteRequest;
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

/** App Mesh's Route operations. */
@RestController
@RequestMapping("/v20190125/meshes/{meshName}/virtualRouter/{virtualRouterName}/routes")
@Tag(name = "Route", description = "App Mesh routes")
class RouteController {

    private final ResourceService service;
    private final ResourceViews views;

    RouteController(ResourceService service, ResourceViews views) {
        this.service = service;
        this.views = views;
    }

    /** What Create and Update refuse beyond the model's constraints, for both operations' descriptions. */
    private static final String SPEC_RULES = " A weighted target's port must be a listener port of its virtual node, and is"
            + " required when that node has several listeners, and the listener it reaches must be of the route's protocol;"
            + " match.port is required when the virtual router has several listeners (BadRequestException naming the"
            + " member, as App Mesh). A grpcRoute metadata name gRPC clients match unlike Envoy ('-bin' names,"
            + " content-type, te, user-agent, 'grpc-' names, characters outside 0-9 a-z _ - .) is refused.";

    @PutMapping
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'editor')")
    @Operation(operationId = "CreateRoute", summary = "Creates a route",
            description = "Repeating a request with the same clientToken returns the resource it created."
                    + SPEC_RULES)
    ResponseEntity<RouteData> create(@PathVariable("meshName") String meshName,
            @PathVariable("virtualRouterName") String virtualRouterName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = CreateRouteRequest.class)))
            @RequestBody(required = false) byte[] body) {
        service.checkOwner(meshOwner, meshName);
        CreateRouteRequest request = RequestDecoder.decode(body, CreateRouteRequest.class);
        ResourceId id = new ResourceId(ResourceKind.ROUTE, meshName, virtualRouterName, request.routeName());
        StoredResource created = service.create(id, request.spec(), request.clientToken(), request.tags(), request);
        return Responses.ok(created, views.route(created, false));
    }

    @GetMapping
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "ListRoutes", summary = "Lists routes, a page at a time")
    ListRoutesResponse list(@PathVariable("meshName") String meshName,
            @PathVariable("virtualRouterName") String virtualRouterName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @RequestParam(value = "limit", required = false) Integer limit,
            @RequestParam(value = "nextToken", required = false) String nextToken) {
        service.checkOwner(meshOwner, meshName);
        Page<StoredResource> page = service.list(ResourceKind.ROUTE, meshName, virtualRouterName, limit, nextToken);
        return new ListRoutesResponse(page.nextToken(), page.items().stream().map(views::routeRef).toList());
    }

    @GetMapping("/{routeName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "DescribeRoute", summary = "Describes a route")
    ResponseEntity<RouteData> describe(@PathVariable("meshName") String meshName,
            @PathVariable("virtualRouterName") String virtualRouterName,
            @PathVariable("routeName") String routeName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner) {
        service.checkOwner(meshOwner, meshName);
        StoredResource found = service.describe(new ResourceId(ResourceKind.ROUTE, meshName, virtualRouterName, routeName));
        return Responses.ok(found, views.route(found, false));
    }

    @PutMapping("/{routeName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'editor')")
    @Operation(operationId = "UpdateRoute", summary = "Replaces the spec of a route",
            description = "The version increments by one. An If-Match header with an older version gets 412."
                    + SPEC_RULES)
    ResponseEntity<RouteData> update(@PathVariable("meshName") String meshName,
            @PathVariable("virtualRouterName") String virtualRouterName,
            @PathVariable("routeName") String routeName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = UpdateRouteRequest.class)))
            @RequestBody(required = false) byte[] body) {
        service.checkOwner(meshOwner, meshName);
        UpdateRouteRequest request = RequestDecoder.decode(body, UpdateRouteRequest.class);
        StoredResource updated = service.update(new ResourceId(ResourceKind.ROUTE, meshName, virtualRouterName, routeName), request.spec(), request.clientToken(),
                Responses.ifMatch(ifMatch), request);
        return Responses.ok(updated, views.route(updated, false));
    }

    @DeleteMapping("/{routeName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'editor')")
    @Operation(operationId = "DeleteRoute", summary = "Deletes a route",
            description = "Answers ResourceInUseException while other resources depend on it.")
    ResponseEntity<RouteData> delete(@PathVariable("meshName") String meshName,
            @PathVariable("virtualRouterName") String virtualRouterName,
            @PathVariable("routeName") String routeName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        service.checkOwner(meshOwner, meshName);
        StoredResource deleted = service.delete(new ResourceId(ResourceKind.ROUTE, meshName, virtualRouterName, routeName), Responses.ifMatch(ifMatch));
        return Responses.ok(deleted, views.route(deleted, true));
    }
}
