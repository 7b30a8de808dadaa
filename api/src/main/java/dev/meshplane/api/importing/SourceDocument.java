package dev.meshplane.api.importing;

import tools.jackson.databind.JsonNode;

/**
 * One parsed document of an input: its file (or a name the caller gives), its position among that file's
 * documents (from 0) and its content as a JSON tree.
 */
public record SourceDocument(String source, int index, JsonNode content) {

    /** How error messages name this document: {@code file#index}. */
    public String where() {
        return source + "#" + index;
    }
}
