package dev.meshplane.api.importing;

import dev.meshplane.api.resource.ResourceKind;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where an API-shaped spec names another resource of its mesh: a virtual node's backends, a virtual service's
 * provider, a route's weighted targets, a gateway route's target. The exporters write these as references
 * in their own terms ({@code virtualNodeRef}, {@code Fn::GetAtt}).
 */
final class SpecReferences {

    /** Receives one reference: the object holding it, the member, and the kind of resource it names. */
    interface Visitor {
        void visit(ObjectNode holder, String member, ResourceKind target);
    }

    private SpecReferences() {
    }

    /** Calls {@code visitor} for each reference in {@code spec}, a spec of {@code kind}. */
    static void forEach(ResourceKind kind, JsonNode spec, Visitor visitor) {
        switch (kind) {
            case VIRTUAL_NODE -> spec.path("backends").forEach(backend ->
                    visit(backend.path("virtualService"), "virtualServiceName", ResourceKind.VIRTUAL_SERVICE, visitor));
            case VIRTUAL_SERVICE -> {
                visit(spec.path("provider").path("virtualNode"), "virtualNodeName", ResourceKind.VIRTUAL_NODE, visitor);
                visit(spec.path("provider").path("virtualRouter"), "virtualRouterName", ResourceKind.VIRTUAL_ROUTER, visitor);
            }
            case ROUTE -> {
                for (String protocol : List.of("httpRoute", "http2Route", "grpcRoute", "tcpRoute")) {
                    spec.path(protocol).path("action").path("weightedTargets").forEach(target ->
                            visit(target, "virtualNode", ResourceKind.VIRTUAL_NODE, visitor));
                }
            }
            case GATEWAY_ROUTE -> {
                for (String protocol : List.of("httpRoute", "http2Route", "grpcRoute")) {
                    visit(spec.path(protocol).path("action").path("target").path("virtualService"), "virtualServiceName",
                            ResourceKind.VIRTUAL_SERVICE, visitor);
                }
            }
            default -> { }
        }
    }

    private static void visit(JsonNode holder, String member, ResourceKind target, Visitor visitor) {
        if (holder instanceof ObjectNode object && object.path(member).isString()) {
            visitor.visit(object, member, target);
        }
    }
}
