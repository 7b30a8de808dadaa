package dev.meshplane.controlplane.appmesh;

import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.model.GatewayRouteData;
import dev.meshplane.api.model.GatewayRouteRef;
import dev.meshplane.api.model.GatewayRouteSpec;
import dev.meshplane.api.model.GatewayRouteStatus;
import dev.meshplane.api.model.GatewayRouteStatusCode;
import dev.meshplane.api.model.MeshData;
import dev.meshplane.api.model.MeshRef;
import dev.meshplane.api.model.MeshSpec;
import dev.meshplane.api.model.MeshStatus;
import dev.meshplane.api.model.MeshStatusCode;
import dev.meshplane.api.model.ResourceMetadata;
import dev.meshplane.api.model.RouteData;
import dev.meshplane.api.model.RouteRef;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.RouteStatus;
import dev.meshplane.api.model.RouteStatusCode;
import dev.meshplane.api.model.VirtualGatewayData;
import dev.meshplane.api.model.VirtualGatewayRef;
import dev.meshplane.api.model.VirtualGatewaySpec;
import dev.meshplane.api.model.VirtualGatewayStatus;
import dev.meshplane.api.model.VirtualGatewayStatusCode;
import dev.meshplane.api.model.VirtualNodeData;
import dev.meshplane.api.model.VirtualNodeRef;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.api.model.VirtualNodeStatus;
import dev.meshplane.api.model.VirtualNodeStatusCode;
import dev.meshplane.api.model.VirtualRouterData;
import dev.meshplane.api.model.VirtualRouterRef;
import dev.meshplane.api.model.VirtualRouterSpec;
import dev.meshplane.api.model.VirtualRouterStatus;
import dev.meshplane.api.model.VirtualRouterStatusCode;
import dev.meshplane.api.model.VirtualServiceData;
import dev.meshplane.api.model.VirtualServiceRef;
import dev.meshplane.api.model.VirtualServiceSpec;
import dev.meshplane.api.model.VirtualServiceStatus;
import dev.meshplane.api.model.VirtualServiceStatusCode;
import dev.meshplane.persistence.StoredResource;
import org.springframework.stereotype.Component;

/** Turns stored resources into the App Mesh response shapes: Data for one resource, Ref in lists. */
@Component
public class ResourceViews {

    private final AppMeshProperties properties;

    public ResourceViews(AppMeshProperties properties) {
        this.properties = properties;
    }

    public String arn(dev.meshplane.api.resource.ResourceId id) {
        return id.arn(properties.region(), properties.accountId());
    }

    public String account() {
        return properties.accountId();
    }

    ResourceMetadata metadata(StoredResource r) {
        return new ResourceMetadata(arn(r.id()), r.createdAt(), r.lastUpdatedAt(), account(), account(),
                r.uid().toString(), r.version());
    }

    /** The stored spec of a resource, parsed. */
    static <T> T spec(StoredResource r, Class<T> type) {
        return AppMeshJson.mapper().readValue(r.specJson(), type);
    }

    public MeshData mesh(StoredResource r, boolean deleted) {
        return new MeshData(r.id().name(), metadata(r), spec(r, MeshSpec.class),
                new MeshStatus(deleted ? MeshStatusCode.DELETED : MeshStatusCode.ACTIVE));
    }

    public MeshRef meshRef(StoredResource r) {
        return new MeshRef(arn(r.id()), r.createdAt(), r.lastUpdatedAt(), r.id().name(), account(), account(),
                r.version());
    }

    public VirtualServiceData virtualService(StoredResource r, boolean deleted) {
        return new VirtualServiceData(r.id().mesh(), metadata(r), spec(r, VirtualServiceSpec.class),
                new VirtualServiceStatus(deleted ? VirtualServiceStatusCode.DELETED : VirtualServiceStatusCode.ACTIVE),
                r.id().name());
    }

    public VirtualServiceRef virtualServiceRef(StoredResource r) {
        return new VirtualServiceRef(arn(r.id()), r.createdAt(), r.lastUpdatedAt(), r.id().mesh(), account(),
                account(), r.version(), r.id().name());
    }

    public VirtualNodeData virtualNode(StoredResource r, boolean deleted) {
        return new VirtualNodeData(r.id().mesh(), metadata(r), spec(r, VirtualNodeSpec.class),
                new VirtualNodeStatus(deleted ? VirtualNodeStatusCode.DELETED : VirtualNodeStatusCode.ACTIVE),
                r.id().name());
    }

    public VirtualNodeRef virtualNodeRef(StoredResource r) {
        return new VirtualNodeRef(arn(r.id()), r.createdAt(), r.lastUpdatedAt(), r.id().mesh(), account(),
                account(), r.version(), r.id().name());
    }

    public VirtualRouterData virtualRouter(StoredResource r, boolean deleted) {
        return new VirtualRouterData(r.id().mesh(), metadata(r), spec(r, VirtualRouterSpec.class),
                new VirtualRouterStatus(deleted ? VirtualRouterStatusCode.DELETED : VirtualRouterStatusCode.ACTIVE),
                r.id().name());
    }

    public VirtualRouterRef virtualRouterRef(StoredResource r) {
        return new VirtualRouterRef(arn(r.id()), r.createdAt(), r.lastUpdatedAt(), r.id().mesh(), account(),
                account(), r.version(), r.id().name());
    }

    public RouteData route(StoredResource r, boolean deleted) {
        return new RouteData(r.id().mesh(), metadata(r), r.id().name(), spec(r, RouteSpec.class),
                new RouteStatus(deleted ? RouteStatusCode.DELETED : RouteStatusCode.ACTIVE), r.id().parent());
    }

    public RouteRef routeRef(StoredResource r) {
        return new RouteRef(arn(r.id()), r.createdAt(), r.lastUpdatedAt(), r.id().mesh(), account(), account(),
                r.id().name(), r.version(), r.id().parent());
    }

    public VirtualGatewayData virtualGateway(StoredResource r, boolean deleted) {
        return new VirtualGatewayData(r.id().mesh(), metadata(r), spec(r, VirtualGatewaySpec.class),
                new VirtualGatewayStatus(deleted ? VirtualGatewayStatusCode.DELETED : VirtualGatewayStatusCode.ACTIVE),
                r.id().name());
    }

    public VirtualGatewayRef virtualGatewayRef(StoredResource r) {
        return new VirtualGatewayRef(arn(r.id()), r.createdAt(), r.lastUpdatedAt(), r.id().mesh(), account(),
                account(), r.version(), r.id().name());
    }

    public GatewayRouteData gatewayRoute(StoredResource r, boolean deleted) {
        return new GatewayRouteData(r.id().name(), r.id().mesh(), metadata(r), spec(r, GatewayRouteSpec.class),
                new GatewayRouteStatus(deleted ? GatewayRouteStatusCode.DELETED : GatewayRouteStatusCode.ACTIVE),
                r.id().parent());
    }

    public GatewayRouteRef gatewayRouteRef(StoredResource r) {
        return new GatewayRouteRef(arn(r.id()), r.createdAt(), r.id().name(), r.lastUpdatedAt(), r.id().mesh(),
                account(), account(), r.version(), r.id().parent());
    }
}
