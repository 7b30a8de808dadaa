package dev.meshplane.controlplane.appmesh;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.persistence.StoredResource;
import org.springframework.http.ResponseEntity;

/** Response helpers: the body plus an ETag carrying the resource version (Meshplane's extension). */
public final class Responses {

    private Responses() {
    }

    static <T> ResponseEntity<T> ok(StoredResource resource, T body) {
        return ResponseEntity.ok().eTag("\"" + resource.version() + "\"").body(body);
    }

    /** Parses {@code If-Match}: a version number, quoted or not; {@code *} or absent means any version. */
    public static Long ifMatch(String header) {
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return null;
        }
        String value = header.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        try {
            long version = Long.parseLong(value);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("If-Match: expected a resource version such as \"3\", got '" + header + "'");
    }
}
