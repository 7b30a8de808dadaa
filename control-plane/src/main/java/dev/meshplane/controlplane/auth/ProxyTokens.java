package dev.meshplane.controlplane.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.meshplane.controlplane.security.KeyEncryption;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Proxy tokens are JWTs (HS256) that Meshplane signs with a key derived from its key-encryption key,
 * so every replica can check them: issuer {@value #ISSUER}, audience {@value #AUDIENCE}, subject the
 * node id ({@code mesh/<mesh>/virtualNode/<name>}), token id the credential's id, and an expiry.
 * A token whose signature, issuer, audience or expiry is wrong is refused before the database is
 * asked; a well-signed one must still be a credential on record, unrevoked, for the same node. The
 * {@code exp} claim also lets gRPC's JWT call credentials (gRFC A97) cache them.
 */
final class ProxyTokens {

    static final String ISSUER = "meshplane";
    static final String AUDIENCE = "meshplane-xds";
    private static final String PURPOSE = "meshplane proxy-token signing v1";

    private final KeyEncryption keys;
    private volatile byte[] key;

    ProxyTokens(KeyEncryption keys) {
        this.keys = keys;
    }

    private byte[] key() {
        if (key == null) {
            key = keys.derive(PURPOSE);
        }
        return key;
    }

    String sign(String credentialId, String node, Instant issuedAt, Instant expiresAt) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(node).jwtID(credentialId)
                .issueTime(Date.from(issuedAt)).expirationTime(Date.from(expiresAt)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new MACSigner(key()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a proxy token", e);
        }
        return jwt.serialize();
    }

    /** Whether this looks like one of these tokens (earlier proxy tokens were opaque {@code mpp_...} strings). */
    static boolean isJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    /** The token's id and node, if its signature, issuer, audience and expiry hold. */
    Optional<Claims> verify(String token, Instant now) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new MACVerifier(key()))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expiry = claims.getExpirationTime();
            if (!ISSUER.equals(claims.getIssuer()) || !List.of(AUDIENCE).equals(claims.getAudience()) || expiry == null
                    || !expiry.toInstant().isAfter(now) || claims.getJWTID() == null || claims.getSubject() == null) {
                return Optional.empty();
            }
            return Optional.of(new Claims(claims.getJWTID(), claims.getSubject()));
        } catch (ParseException | JOSEException e) {
            return Optional.empty();
        }
    }

    record Claims(String id, String node) {
    }
}
