package dev.meshplane.persistence;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.validation.TextRules;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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

    /**
     * The last name a token carries, "" for none.
     *
     * @throws ApiException BadRequestException when the token is not one {@link #encode} could have
     *         written: not base64url, without the marker, not UTF-8, or carrying a control character no
     *         name holds (a U+0000 would otherwise reach PostgreSQL, which refuses it with a 500)
     */
    static String decode(String token) {
        if (token == null || token.isEmpty()) {
            return "";
        }
        try {
            String raw = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(token))).toString();
            if (raw.startsWith(MARKER) && TextRules.problem(raw, false) == null) {
                return raw.substring(MARKER.length());
            }
        } catch (IllegalArgumentException | CharacterCodingException e) {
            // reported below
        }
        throw ApiException.badRequest("nextToken: '" + token + "' is not a token this server issued");
    }
}
