package dev.meshplane.controlplane.auth;

import dev.meshplane.controlplane.appmesh.AppMeshProperties;
import dev.meshplane.controlplane.security.KeyEncryption;
import dev.meshplane.persistence.AuthStore;
import dev.meshplane.persistence.AuthStore.Credential;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Issues and checks Meshplane's credentials: bearer tokens for API callers, proxy tokens for xDS
 * streams (scoped to one node or gateway: signed JWTs, see {@link ProxyTokens}), and access keys for
 * SigV4-signing AWS clients (of a role for meshes, or of the proxy role for one node). API tokens are random 32 bytes. Tokens are shown once and stored as
 * SHA-256 hashes.
 */
@Component
public class Authenticator {

    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
    static final String ENCRYPTION_CONTEXT = "access-keys";
    /** The principal id of the bootstrap admin token, which is a setting, not a stored credential. */
    public static final String BOOTSTRAP_ID = "bootstrap-admin";

    private final AuthStore store;
    private final KeyEncryption encryption;
    private final boolean enabled;
    private final byte[] bootstrapHash;
    private final SecureRandom random = new SecureRandom();
    private final ProxyTokens proxyTokens;
    private final java.time.Duration proxyTokenLifetime;
    private final String region;

    public Authenticator(AuthStore store, KeyEncryption encryption, AuthProperties properties, AppMeshProperties appMesh,
            Environment environment) {
        this.store = store;
        this.region = appMesh.region();
        this.encryption = encryption;
        this.proxyTokens = new ProxyTokens(encryption);
        this.proxyTokenLifetime = properties.proxyTokenLifetime();
        boolean externalDatabase = environment.getProperty("spring.datasource.url") != null;
        String mode = properties.authentication();
        if (mode == null || mode.isBlank()) {
            this.enabled = externalDatabase;
        } else if (mode.equals("enabled") || mode.equals("disabled")) {
            this.enabled = mode.equals("enabled");
        } else {
            throw new IllegalStateException("meshplane.security.authentication must be enabled or disabled, got '" + mode + "'");
        }
        String bootstrap = properties.bootstrapAdminToken();
        this.bootstrapHash = bootstrap == null || bootstrap.isBlank() ? null : sha256(bootstrap);
        if (!enabled) {
            String banner = "*".repeat(100);
            log.warn("\n{}\n  DEVELOPMENT MODE: authentication is OFF. Anyone who can reach this server can change every mesh"
                    + "\n  and read every proxy's configuration and certificates. Set meshplane.security.authentication=enabled"
                    + "\n  (the default with an external database) and meshplane.security.bootstrap-admin-token.\n{}",
                    banner, banner);
        } else if (bootstrapHash == null) {
            log.warn("Authentication is on and no meshplane.security.bootstrap-admin-token is set: only credentials"
                    + " issued before can be used");
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /** The principal of a bearer token, if it is the bootstrap token or an unexpired, unrevoked API token. */
    public Optional<Principal> bearer(String token) {
        byte[] hash = sha256(token);
        if (bootstrapHash != null && MessageDigest.isEqual(hash, bootstrapHash)) {
            return Optional.of(new Principal(BOOTSTRAP_ID, "bootstrap admin token", Principal.Role.ADMIN, Set.of("*")));
        }
        if (ProxyTokens.isJwt(token)) {
            return Optional.empty(); // a proxy token (API tokens have no dots): no query
        }
        return store.byHash(hash).filter(c -> c.kind().equals("API_TOKEN") && c.usable(Instant.now()))
                .map(Authenticator::principal);
    }

    /** The node or gateway a proxy token admits ({@code mesh/<mesh>/virtualNode/<name>}), if the token is valid. */
    public Optional<Credential> proxyToken(String token) {
        Instant now = Instant.now();
        if (!ProxyTokens.isJwt(token)) { // issued before proxy tokens were signed
            return store.byHash(sha256(token)).filter(c -> c.kind().equals("PROXY_TOKEN") && c.usable(now));
        }
        Optional<ProxyTokens.Claims> claims = proxyTokens.verify(token, now);
        if (claims.isEmpty()) {
            return Optional.empty(); // forged, altered or expired: the database is not asked
        }
        try {
            return store.byHash(sha256(token)).filter(c -> c.kind().equals("PROXY_TOKEN") && c.usable(now)
                    && c.id().equals(claims.get().id()) && claims.get().node().equals(c.proxyNode()));
        } catch (RuntimeException e) {
            if (!dev.meshplane.controlplane.web.DatabaseUnavailable.causes(e)) {
                throw e;
            }
            // the database is away: the signature and expiry vouch for the token (a JWT's point), and a proxy
            // restarting now still gets its configuration; its record (revocation) is checked when the database
            // returns, by the recheck every stream gets, which cuts it off if it was revoked
            log.warn("The database is away: proxy token {} for {} admitted on its signature alone until it returns",
                    claims.get().id(), dev.meshplane.api.validation.TextRules.printable(claims.get().node()));
            String node = claims.get().node();
            String mesh = node.split("/")[1];
            return Optional.of(new Credential(claims.get().id(), "PROXY_TOKEN", node, null, null, null, mesh, node,
                    null, null, null, null));
        }
    }

    /** Of these credential ids (tokens or access keys), those revoked or expired since, in one query. */
    public Set<String> unusable(java.util.Collection<String> ids) {
        return store.unusable(ids, Instant.now());
    }

    /** An access key that may sign requests, with its secret. */
    public Optional<AccessKey> accessKey(String accessKeyId) {
        return store.byId(accessKeyId).filter(c -> c.kind().equals("ACCESS_KEY") && c.usable(Instant.now()))
                .map(c -> new AccessKey(c, new String(encryption.decrypt(c.secretEncrypted(), ENCRYPTION_CONTEXT),
                        StandardCharsets.UTF_8)));
    }

    /**
     * The access key that signed a request (AWS SigV4, see {@link SigV4}), on REST and on xDS alike:
     * the header is read and the scope checked (this server's {@code meshplane.appmesh.region}, service
     * {@value SigV4#SERVICE}, 15 minutes) before the key is looked up, then the payload and signature.
     *
     * @throws SigV4.Rejected saying why, with the kind of answer AWS gives for it
     */
    public AccessKey signed(String authorization, SigV4.Request request) throws SigV4.Rejected {
        SigV4.Parsed parsed = SigV4.parse(authorization);
        SigV4.checkScope(parsed, request, region, Instant.now());
        AccessKey key = accessKey(parsed.accessKeyId()).orElseThrow(() -> new SigV4.Rejected(SigV4.Failure.MISMATCH,
                SigV4.printable(parsed.accessKeyId()), "the access key is unknown, expired or revoked"));
        SigV4.checkSignature(parsed, key.secret(), request);
        return key;
    }

    /** An access key and its secret. */
    public record AccessKey(Credential credential, String secret) {
        public Principal principal() {
            return Authenticator.principal(credential);
        }
    }

    /**
     * The principal a stored credential carries. A credential bound to a node (a proxy token, or an
     * access key issued for a node, both stored with no role and their node in {@code proxy_node}) is
     * {@link Principal.Role#PROXY} for that node; the others carry their stored role.
     */
    public static Principal principal(Credential c) {
        if (c.proxyNode() != null) {
            return new Principal(c.id(), c.name(), Principal.Role.PROXY, meshes(c.meshes()), Set.of(c.proxyNode()));
        }
        return new Principal(c.id(), c.name(), Principal.Role.parse(c.role()), meshes(c.meshes()));
    }

    private static Set<String> meshes(String text) {
        return new LinkedHashSet<>(Arrays.asList(text.split(",")));
    }

    /** A new credential and the secret shown once. */
    public record Issued(Credential credential, String secret) {
    }

    public Issued issueApiToken(String name, Principal.Role role, List<String> meshes, Instant expiresAt, String by) {
        String token = "mpt_" + randomText(32);
        Credential credential = new Credential("tok-" + randomHex(8), "API_TOKEN", name, sha256(token), null,
                role.name().toLowerCase(), String.join(",", meshes), null, by, Instant.now(), expiresAt, null);
        store.insert(credential);
        return new Issued(credential, token);
    }

    /** A proxy token for one node or gateway; it expires after {@code meshplane.security.proxy-token-lifetime} unless told otherwise. */
    public Issued issueProxyToken(String name, String proxyNode, String mesh, Instant expiresAt, String by) {
        Instant now = Instant.now();
        Instant expires = expiresAt != null ? expiresAt : now.plus(proxyTokenLifetime);
        String id = "ptk-" + randomHex(8);
        String token = proxyTokens.sign(id, proxyNode, now, expires);
        Credential credential = new Credential(id, "PROXY_TOKEN", name, sha256(token), null, null,
                mesh, proxyNode, by, now, expires, null);
        store.insert(credential);
        return new Issued(credential, token);
    }

    /** An access key of a role on the ladder (viewer, editor, admin) for these meshes. */
    public Issued issueAccessKey(String name, Principal.Role role, List<String> meshes, Instant expiresAt, String by) {
        if (role == Principal.Role.PROXY) {
            throw new IllegalArgumentException("a proxy access key is bound to a node: issueProxyAccessKey");
        }
        return accessKey(name, role.name().toLowerCase(java.util.Locale.ROOT), String.join(",", meshes), null, expiresAt, by);
    }

    /**
     * An access key for the proxies of one node or gateway ({@link Principal.Role#PROXY}): it signs
     * their xDS streams (as Envoy's AWS IAM gRPC credentials do) and reads that node's certificate,
     * nothing else. Stored like a proxy token: no role, the node in {@code proxy_node}.
     */
    public Issued issueProxyAccessKey(String name, String proxyNode, String mesh, Instant expiresAt, String by) {
        return accessKey(name, null, mesh, proxyNode, expiresAt, by);
    }

    private Issued accessKey(String name, String role, String meshes, String proxyNode, Instant expiresAt, String by) {
        String id = "AKMP" + randomHex(8).toUpperCase(java.util.Locale.ROOT);
        String secret = randomText(30);
        Credential credential = new Credential(id, "ACCESS_KEY", name, null,
                encryption.encrypt(secret.getBytes(StandardCharsets.UTF_8), ENCRYPTION_CONTEXT),
                role, meshes, proxyNode, by, Instant.now(), expiresAt, null);
        store.insert(credential);
        return new Issued(credential, secret);
    }

    private String randomText(int bytes) {
        byte[] data = new byte[bytes];
        random.nextBytes(data);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(data);
    }

    private String randomHex(int bytes) {
        byte[] data = new byte[bytes];
        random.nextBytes(data);
        return HexFormat.of().formatHex(data);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
