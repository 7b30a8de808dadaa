package dev.meshplane.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.meshplane.controlplane.security.KeyEncryption;
import dev.meshplane.controlplane.security.SecurityProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.Test;

/**
 * A proxy token is checked on its own before any database lookup: its signature under Meshplane's
 * derived key, HS256 only, issuer, audience and expiry. Altered, foreign, unsigned, expired or
 * mis-addressed tokens are refused.
 */
class ProxyTokensTest {

    private static final String NODE = "mesh/mylearning/virtualNode/course-service";

    private static KeyEncryption keys(byte[] key) {
        return new KeyEncryption(new SecurityProperties(Base64.getEncoder().encodeToString(key), Path.of("unused"),
                Duration.ofHours(24), Duration.ofDays(3650)));
    }

    private final ProxyTokens tokens = new ProxyTokens(keys(new byte[32]));
    private final Instant now = Instant.now();

    @Test
    void aTokenItSignedVerifiesAndNamesItsIdAndNode() {
        String token = tokens.sign("ptk-1", NODE, now, now.plusSeconds(600));
        assertThat(ProxyTokens.isJwt(token)).isTrue();
        assertThat(tokens.verify(token, now)).hasValueSatisfying(claims -> {
            assertThat(claims.id()).isEqualTo("ptk-1");
            assertThat(claims.node()).isEqualTo(NODE);
        });
        byte[] other = new byte[32];
        other[0] = 1;
        assertThat(new ProxyTokens(keys(other)).verify(token, now)).as("another key-encryption key").isEmpty();
    }

    @Test
    void alteredExpiredUnsignedOrMisaddressedTokensAreRefused() throws Exception {
        String token = tokens.sign("ptk-1", NODE, now, now.plusSeconds(600));
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String altered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("course-service", "user-service").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(tokens.verify(altered, now)).as("altered subject").isEmpty();
        assertThat(tokens.verify(token, now.plusSeconds(601))).as("expired").isEmpty();

        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(tokens.verify(new PlainJWT(new PlainHeader(), claims).serialize(), now)).as("unsigned (alg none)").isEmpty();
        SignedJWT foreign = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        foreign.sign(new MACSigner(new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
                9, 9, 9}));
        assertThat(tokens.verify(foreign.serialize(), now)).as("signed with another key").isEmpty();

        // well signed, but not a proxy token: wrong audience, or no expiry
        byte[] key = keys(new byte[32]).derive("meshplane proxy-token signing v1");
        SignedJWT apiAudience = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder(claims)
                .audience("something-else").build());
        apiAudience.sign(new MACSigner(key));
        assertThat(tokens.verify(apiAudience.serialize(), now)).as("another audience").isEmpty();
        SignedJWT forever = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder(claims)
                .expirationTime(null).build());
        forever.sign(new MACSigner(key));
        assertThat(tokens.verify(forever.serialize(), now)).as("no expiry").isEmpty();
        SignedJWT control = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder(claims)
                .issueTime(Date.from(now)).build());
        control.sign(new MACSigner(key));
        assertThat(tokens.verify(control.serialize(), now)).as("the same key and claims do verify").isPresent();
    }
}
