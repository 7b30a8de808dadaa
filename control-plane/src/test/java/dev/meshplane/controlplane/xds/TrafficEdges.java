package dev.meshplane.controlplane.xds;

import tools.jackson.databind.JsonNode;

/** Reading edges out of a {@code GET /v1/meshes/{mesh}/traffic} answer, for the load reporting tests. */
final class TrafficEdges {

    private TrafficEdges() {
    }

    /** The edge from a source (node or client name) to a destination virtual node, or null when there is none. */
    static JsonNode edge(JsonNode traffic, String source, String destination) {
        for (JsonNode edge : traffic.get("edges")) {
            if (edge.at("/source/name").asString().equals(source) && edge.at("/destination/virtualNode").asString().equals(destination)) {
                return edge;
            }
        }
        return null;
    }

    /** The requests counted on that edge; 0 when there is no edge. */
    static long requests(JsonNode traffic, String source, String destination) {
        JsonNode edge = edge(traffic, source, destination);
        return edge == null ? 0 : edge.at("/traffic/requests").asLong();
    }
}
