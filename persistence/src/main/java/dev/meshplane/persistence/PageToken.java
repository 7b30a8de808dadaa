package dev.meshplane.persistence;

import dev.meshplane.api.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque pagination tokens: the last name of the previous page, base64url-encoded with a marker. */
final class PageToken {

    private static final String MARKER = "mp1:";

    private PageToken() {
    }

    static String encode(String lastName) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((MARKER + lastName).getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String token) {
        if (token == null || token.isEmpty()) {
            return "";
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (raw.startsWith(MARKER)) {
                return raw.substring(MARKER.length());
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ApiException.badRequest("nextToken: '" + token + "' is not a token this server issued");
    }
}
