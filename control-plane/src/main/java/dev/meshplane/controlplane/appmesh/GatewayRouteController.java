package dev.meshplane.controlplane.appmesh;

import dev.meshplane.api.model.CreateGatewayRouteRequest;
import dev.meshplane.api.model.GatewayRouteData;
import dev.meshplane.api.model.ListGatewayRoutesResponse;
import dev.meshplane.api.model.UpdateGatewayRouteRequest;
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

/** App Mesh's GatewayRoute operations. */
@RestController
@RequestMapping("/v20190125/meshes/{meshName}/virtualGateway/{virtualGatewayName}/gatewayRoutes")
@Tag(name = "GatewayRoute", description = "App Mesh gateway routes")
class GatewayRouteController {

    private final ResourceService service;
    private final ResourceViews views;

    GatewayRouteController(ResourceService service, ResourceViews views) {
        this.service = service;
        this.views = views;
    }

    /** What Create and Update refuse beyond the model's constraints, for both operations' descriptions. */
    private static final String SPEC_RULES = " The target's port must be a listener port of the target service's provider,"
            + " and is required when the provider has several listeners; the listener reached must carry the route"
            + " (a grpcRoute needs a grpc or http2 listener, no gateway route reaches a tcp one); match.port is required"
            + " when the virtual gateway has several listeners; an HTTP match needs one of prefix, path, hostname and a"
            + " gRPC match serviceName or hostname; a prefix rewrite value starts and ends with '/'; prefixes"
            + " /aws-appmesh*, /aws-app-mesh* and service names aws.app-mesh*, aws.appmesh are App Mesh's"
            + " (BadRequestException naming the member, as App Mesh).";

    @PutMapping
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'editor')")
    @Operation(operationId = "CreateGatewayRoute", summary = "Creates a gateway route",
            description = "Repeating a request with the same clientToken returns the resource it created."
                    + SPEC_RULES)
    ResponseEntity<GatewayRouteData> create(@PathVariable("meshName") String meshName,
            @PathVariable("virtualGatewayName") String virtualGatewayName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = CreateGatewayRouteRequest.class)))
            @RequestBody(required = false) byte[] body) {
        service.checkOwner(meshOwner, meshName);
        CreateGatewayRouteRequest request = RequestDecoder.decode(body, CreateGatewayRouteRequest.class);
        ResourceId id = new ResourceId(ResourceKind.GATEWAY_ROUTE, meshName, virtualGatewayName, request.gatewayRouteName());
        StoredResource created = service.create(id, request.spec(), request.clientToken(), request.tags(), request);
        return Responses.ok(created, views.gatewayRoute(created, false));
    }

    @GetMapping
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "ListGatewayRoutes", summary = "Lists gateway routes, a page at a time")
    ListGatewayRoutesResponse list(@PathVariable("meshName") String meshName,
            @PathVariable("virtualGatewayName") String virtualGatewayName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @RequestParam(value = "limit", required = false) Integer limit,
            @RequestParam(value = "nextToken", required = false) String nextToken) {
        service.checkOwner(meshOwner, meshName);
        Page<StoredResource> page = service.list(ResourceKind.GATEWAY_ROUTE, meshName, virtualGatewayName, limit, nextToken);
        return new ListGatewayRoutesResponse(page.items().stream().map(views::gatewayRouteRef).toList(), page.nextToken());
    }

    @GetMapping("/{gatewayRouteName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'viewer')")
    @Operation(operationId = "DescribeGatewayRoute", summary = "Describes a gateway route")
    ResponseEntity<GatewayRouteData> describe(@PathVariable("meshName") String meshName,
            @PathVariable("virtualGatewayName") String virtualGatewayName,
            @PathVariable("gatewayRouteName") String gatewayRouteName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner) {
        service.checkOwner(meshOwner, meshName);
        StoredResource found = service.describe(new ResourceId(ResourceKind.GATEWAY_ROUTE, meshName, virtualGatewayName, gatewayRouteName));
        return Responses.ok(found, views.gatewayRoute(found, false));
    }

    @PutMapping("/{gatewayRouteName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'editor')")
    @Operation(operationId = "UpdateGatewayRoute", summary = "Replaces the spec of a gateway route",
            description = "The version increments by one. An If-Match header with an older version gets 412."
                    + SPEC_RULES)
    ResponseEntity<GatewayRouteData> update(@PathVariable("meshName") String meshName,
            @PathVariable("virtualGatewayName") String virtualGatewayName,
            @PathVariable("gatewayRouteName") String gatewayRouteName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = UpdateGatewayRouteRequest.class)))
            @RequestBody(required = false) byte[] body) {
        service.checkOwner(meshOwner, meshName);
        UpdateGatewayRouteRequest request = RequestDecoder.decode(body, UpdateGatewayRouteRequest.class);
        StoredResource updated = service.update(new ResourceId(ResourceKind.GATEWAY_ROUTE, meshName, virtualGatewayName, gatewayRouteName), request.spec(), request.clientToken(),
                Responses.ifMatch(ifMatch), request);
        return Responses.ok(updated, views.gatewayRoute(updated, false));
    }

    @DeleteMapping("/{gatewayRouteName}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'editor')")
    @Operation(operationId = "DeleteGatewayRoute", summary = "Deletes a gateway route",
            description = "Answers ResourceInUseException while other resources depend on it.")
    ResponseEntity<GatewayRouteData> delete(@PathVariable("meshName") String meshName,
            @PathVariable("virtualGatewayName") String virtualGatewayName,
            @PathVariable("gatewayRouteName") String gatewayRouteName,
            @RequestParam(value = "meshOwner", required = false) String meshOwner,
            @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        service.checkOwner(meshOwner, meshName);
        StoredResource deleted = service.delete(new ResourceId(ResourceKind.GATEWAY_ROUTE, meshName, virtualGatewayName, gatewayRouteName), Responses.ifMatch(ifMatch));
        return Responses.ok(deleted, views.gatewayRoute(deleted, true));
    }
}
