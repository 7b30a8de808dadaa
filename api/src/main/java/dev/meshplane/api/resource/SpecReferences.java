package dev.meshplane.api.resource;

import dev.meshplane.api.model.GatewayRouteSpec;
import dev.meshplane.api.model.GatewayRouteTarget;
import dev.meshplane.api.model.RouteSpec;
import dev.meshplane.api.model.VirtualServiceProvider;
import dev.meshplane.api.model.VirtualServiceSpec;
import dev.meshplane.api.model.WeightedTarget;
import java.util.ArrayList;
import java.util.List;

/**
 * The other resources a spec names and that must exist in the same mesh while it does:
 * a virtual service's provider, a route's weighted targets, a gateway route's target.
 * Backends are deliberately not here: as in App Mesh they may name services not created yet.
 */
public final class SpecReferences {

    /** One reference: which member holds it, and the resource it names. */
    public record Reference(String member, ResourceKind kind, String name) {
    }

    private SpecReferences() {
    }

    public static List<Reference> of(Object spec) {
        List<Reference> refs = new ArrayList<>();
        if (spec instanceof VirtualServiceSpec s && s.provider() != null) {
            VirtualServiceProvider p = s.provider();
            if (p.virtualNode() != null) {
                refs.add(new Reference("spec.provider.virtualNode.virtualNodeName", ResourceKind.VIRTUAL_NODE,
                        p.virtualNode().virtualNodeName()));
            }
            if (p.virtualRouter() != null) {
                refs.add(new Reference("spec.provider.virtualRouter.virtualRouterName", ResourceKind.VIRTUAL_ROUTER,
                        p.virtualRouter().virtualRouterName()));
            }
        } else if (spec instanceof RouteSpec r) {
            if (r.httpRoute() != null) {
                targets(refs, "spec.httpRoute", r.httpRoute().action().weightedTargets());
            }
            if (r.http2Route() != null) {
                targets(refs, "spec.http2Route", r.http2Route().action().weightedTargets());
            }
            if (r.grpcRoute() != null) {
                targets(refs, "spec.grpcRoute", r.grpcRoute().action().weightedTargets());
            }
            if (r.tcpRoute() != null) {
                targets(refs, "spec.tcpRoute", r.tcpRoute().action().weightedTargets());
            }
        } else if (spec instanceof GatewayRouteSpec g) {
            if (g.httpRoute() != null) {
                target(refs, "spec.httpRoute", g.httpRoute().action().target());
            }
            if (g.http2Route() != null) {
                target(refs, "spec.http2Route", g.http2Route().action().target());
            }
            if (g.grpcRoute() != null) {
                target(refs, "spec.grpcRoute", g.grpcRoute().action().target());
            }
        }
        return refs;
    }

    private static void targets(List<Reference> refs, String route, List<WeightedTarget> targets) {
        for (int i = 0; i < targets.size(); i++) {
            refs.add(new Reference(route + ".action.weightedTargets[" + i + "].virtualNode", ResourceKind.VIRTUAL_NODE,
                    targets.get(i).virtualNode()));
        }
    }

    private static void target(List<Reference> refs, String route, GatewayRouteTarget target) {
        refs.add(new Reference(route + ".action.target.virtualService.virtualServiceName",
                ResourceKind.VIRTUAL_SERVICE, target.virtualService().virtualServiceName()));
    }
}
