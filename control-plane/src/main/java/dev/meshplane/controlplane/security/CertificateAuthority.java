package dev.meshplane.controlplane.security;

import com.google.protobuf.ByteString;
import dev.meshplane.api.error.ApiException;
import dev.meshplane.persistence.SecurityStore;
import dev.meshplane.persistence.SecurityStore.CaRow;
import dev.meshplane.persistence.SecurityStore.CaScope;
import dev.meshplane.snapshot.BuiltInSecrets;
import dev.meshplane.snapshot.ProxyId;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Each mesh's certificate authority, and the certificates proxies get from it. A mesh's CA is
 * generated on first use (an EC P-256 key, its private key stored encrypted) or imported; proxies'
 * certificates are issued in memory by the replica they are connected to, never stored, for the
 * SPIFFE id of their virtual node or gateway, and renewed at half their lifetime or as soon as the
 * active CA changes. The trust bundle is every CA still trusted: the active one and, while a
 * rotation overlaps, the previous one.
 */
@Component
public class CertificateAuthority {

    private static final Logger log = LoggerFactory.getLogger(CertificateAuthority.class);

    /** A CA ready to sign. */
    record Signer(long id, X509Certificate certificate, PrivateKey key) {
    }

    /** A proxy's certificate and key, with the CA that signed it. */
    public record Identity(X509Certificate certificate, PrivateKey key, long caId, Instant issuedAt, Instant renewAt) {
    }

    private final SecurityStore store;
    private final KeyEncryption encryption;
    private final SecurityProperties properties;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Whose CA: a mesh's, or the server's own (under {@link #SERVER_CA}). */
    private record Owner(CaScope scope, String name) {
    }

    private static final Owner SERVER = new Owner(CaScope.SERVER, CertificateAuthority.SERVER_CA);

    private final Map<Owner, List<CaRow>> trusted = new ConcurrentHashMap<>();
    private final Map<Long, Signer> signers = new ConcurrentHashMap<>();
    private final Map<String, Identity> identities = new ConcurrentHashMap<>();

    public CertificateAuthority(SecurityStore store, KeyEncryption encryption, SecurityProperties properties) {
        this.store = store;
        this.encryption = encryption;
        this.properties = properties;
        this.clock = Clock.systemUTC();
    }

    /** A mesh's CAs changed (or may have): read them again at next use. */
    public void forget(String mesh) {
        trusted.remove(new Owner(CaScope.MESH, mesh));
    }

    /** The CAs proxies of this mesh trust, active first; creates the mesh's first CA if it has none. */
    public List<CaRow> trustedCas(String mesh) {
        return trustedCas(new Owner(CaScope.MESH, mesh));
    }

    private List<CaRow> trustedCas(Owner owner) {
        return trusted.computeIfAbsent(owner, o -> {
            List<CaRow> rows = store.trusted(o.scope(), o.name());
            if (rows.stream().noneMatch(r -> r.state().equals("ACTIVE"))) {
                generateFirst(o);
                rows = store.trusted(o.scope(), o.name());
            }
            return rows;
        });
    }

    /** The trust bundle in PEM: every trusted CA certificate. */
    public String trustBundlePem(String mesh) {
        return pem(trustedCas(mesh));
    }

    /** The CA that certifies Meshplane's own ports, in PEM: what proxies trust on the xDS connection. */
    public String serverTrustBundlePem() {
        return pem(trustedCas(SERVER));
    }

    private static String pem(List<CaRow> cas) {
        StringBuilder pem = new StringBuilder();
        cas.forEach(row -> pem.append(row.certificatePem()));
        return pem.toString();
    }

    private record Issued(Identity identity, List<CaRow> trusted, List<Secret> secrets) {
    }

    private final Map<String, Issued> issued = new ConcurrentHashMap<>();

    /**
     * The SDS secrets of one proxy group: its identity and the mesh's trust bundle. The same message
     * instances come back while nothing changed, so hashing and validation remember them.
     */
    public List<Secret> secrets(ProxyId proxy) {
        Identity identity = identity(proxy);
        List<CaRow> trust = trustedCas(proxy.mesh());
        Issued last = issued.get(proxy.groupKey());
        if (last != null && last.identity() == identity && last.trusted() == trust) {
            return last.secrets();
        }
        List<Secret> secrets = build(proxy, identity);
        issued.put(proxy.groupKey(), new Issued(identity, trust, secrets));
        return secrets;
    }

    private List<Secret> build(ProxyId proxy, Identity identity) {
        String chain = Pem.write(identity.certificate());
        Secret certificate = Secret.newBuilder().setName(BuiltInSecrets.IDENTITY)
                .setTlsCertificate(TlsCertificate.newBuilder()
                        .setCertificateChain(DataSource.newBuilder().setInlineBytes(ByteString.copyFrom(chain, StandardCharsets.US_ASCII)))
                        .setPrivateKey(DataSource.newBuilder().setInlineBytes(
                                ByteString.copyFrom(Pem.write(identity.key()), StandardCharsets.US_ASCII))))
                .build();
        Secret trust = Secret.newBuilder().setName(BuiltInSecrets.TRUST)
                .setValidationContext(CertificateValidationContext.newBuilder().setTrustedCa(DataSource.newBuilder()
                        .setInlineBytes(ByteString.copyFrom(trustBundlePem(proxy.mesh()), StandardCharsets.US_ASCII))))
                .build();
        return List.of(certificate, trust);
    }

    /** The proxy group's certificate: the one it has while it is fresh and from the active CA, else a new one. */
    public Identity identity(ProxyId proxy) {
        CaRow active = trustedCas(proxy.mesh()).get(0);
        String key = proxy.groupKey();
        Identity current = identities.get(key);
        Instant now = clock.instant();
        if (current != null && current.caId() == active.id() && now.isBefore(current.renewAt())) {
            return current;
        }
        Identity issued = issue(proxy, signer(active), now);
        identities.put(key, issued);
        return issued;
    }

    /**
     * The key of the CA that signs Meshplane's own server certificates, stored apart from the meshes'
     * CAs (scope SERVER) and bound into its encrypted key; mesh names starting so are refused anyway.
     */
    static final String SERVER_CA = "_meshplane";

    /**
     * A server certificate for Meshplane's own ports, from the system CA, for the advertised host
     * (when set) and localhost; the same one until half its lifetime (the longer of the configured
     * lifetime and a day) has passed.
     */
    public synchronized Identity serverIdentity(String advertisedHost) {
        java.util.List<String> hostNames = advertisedHost == null || advertisedHost.isBlank()
                ? java.util.List.of("localhost") : java.util.List.of(advertisedHost, "localhost");
        CaRow active = trustedCas(SERVER).get(0);
        // no proxy group key starts with "server:": this one is the server's alone
        Identity current = identities.get("server:" + SERVER_CA);
        Instant now = clock.instant();
        if (current != null && current.caId() == active.id() && now.isBefore(current.renewAt())) {
            return current;
        }
        Signer ca = signer(active);
        KeyPair keys = ecKeys();
        Duration lifetime = properties.certificateLifetime().compareTo(Duration.ofDays(1)) > 0
                ? properties.certificateLifetime() : Duration.ofDays(1);
        Instant notAfter = now.plus(lifetime);
        try {
            GeneralName[] names = hostNames.stream().distinct()
                    .map(h -> new GeneralName(h.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, h))
                    .toArray(GeneralName[]::new);
            X509Certificate certificate = sign(ca, keys, now.minusSeconds(60), notAfter,
                    new X500Name("O=Meshplane,CN=" + hostNames.get(0)), new GeneralNames(names), KeyPurposeId.id_kp_serverAuth);
            Identity issued = new Identity(certificate, keys.getPrivate(), ca.id(), now, now.plus(lifetime.dividedBy(2)));
            identities.put("server:" + SERVER_CA, issued);
            return issued;
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue Meshplane's server certificate: " + e.getMessage(), e);
        }
    }

    /** The group has no proxy here any more: forget its key. */
    public void release(String groupKey) {
        identities.remove(groupKey);
        issued.remove(groupKey);
    }

    private Identity issue(ProxyId proxy, Signer ca, Instant now) {
        KeyPair keys = ecKeys();
        Duration lifetime = properties.certificateLifetime();
        Instant notBefore = now.minusSeconds(60);
        Instant notAfter = now.plus(lifetime);
        if (notAfter.isAfter(ca.certificate().getNotAfter().toInstant())) {
            notAfter = ca.certificate().getNotAfter().toInstant();
        }
        try {
            X509Certificate certificate = sign(ca, keys, notBefore, notAfter,
                    // built attribute by attribute: a name holding ',', '+', '"' or a backslash (App Mesh allows them) is no
                    // longer parsed as X.500 syntax, which refused it and left the proxy without a certificate
                    new X500NameBuilder().addRDN(BCStyle.O, "Meshplane").addRDN(BCStyle.OU, proxy.mesh())
                            .addRDN(BCStyle.CN, proxy.name()).build(),
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, BuiltInSecrets.spiffeId(proxy))),
                    KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);
            // at half the lifetime (counted from issue, not from the minute it is backdated for clock skew)
            Instant renewAt = now.plus(Duration.between(now, notAfter).dividedBy(2));
            return new Identity(certificate, keys.getPrivate(), ca.id(), now, renewAt);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a certificate for " + proxy.groupKey() + ": " + e.getMessage(), e);
        }
    }

    /** An end-entity certificate signed by the CA: the given names (SANs, critical when the subject says little) and usages. */
    private X509Certificate sign(Signer ca, KeyPair keys, Instant notBefore, Instant notAfter, X500Name subject,
            GeneralNames sans, KeyPurposeId... usages) throws Exception {
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        org.bouncycastle.cert.X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(),
                new BigInteger(127, random), Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usages))
                .addExtension(Extension.subjectAlternativeName, true, sans)
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca.certificate()));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(signatureAlgorithm(ca.certificate().getPublicKey())).build(ca.key())));
    }

    private Signer signer(CaRow row) {
        return signers.computeIfAbsent(row.id(), id -> new Signer(id, Pem.certificates(row.certificatePem()).get(0),
                Pem.privateKey(new String(encryption.decrypt(row.privateKeyEncrypted(), row.mesh()), StandardCharsets.US_ASCII))));
    }

    private void generateFirst(Owner owner) {
        KeyPair keys = ecKeys();
        X509Certificate certificate = selfSigned(owner.name(), keys);
        store.createIfAbsent(owner.scope(), owner.name(), Pem.write(certificate), encryption.encrypt(
                Pem.write(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII), owner.name()),
                certificate.getNotAfter().toInstant());
        log.info(owner.scope() == CaScope.SERVER ? "Created Meshplane's own certificate authority"
                : "Created the certificate authority of mesh '{}'", owner.name());
    }

    /** Replaces the active CA by a new generated one; the old one stays trusted until {@link #endOverlap}. */
    public CaRow rotate(String mesh) {
        trustedCas(mesh);
        KeyPair keys = ecKeys();
        X509Certificate certificate = selfSigned(mesh, keys);
        CaRow row = store.rotate(mesh, Pem.write(certificate), encryption.encrypt(
                Pem.write(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII), mesh), certificate.getNotAfter().toInstant(), false);
        forget(mesh);
        return row;
    }

    /**
     * Makes a user's CA the mesh's active one (the previous stays trusted during the overlap). The
     * certificate must be a CA certificate and the key must be its key.
     */
    public CaRow importCa(String mesh, String certificatePem, String privateKeyPem) {
        X509Certificate certificate;
        PrivateKey key;
        try {
            certificate = Pem.certificates(certificatePem).get(0);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("certificatePem: " + e.getMessage());
        }
        try {
            key = Pem.privateKey(privateKeyPem);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("privateKeyPem: " + e.getMessage());
        }
        if (certificate.getBasicConstraints() < 0) {
            throw ApiException.badRequest("certificatePem: not a CA certificate (basicConstraints CA:true is required)");
        }
        if (certificate.getNotAfter().toInstant().isBefore(clock.instant())) {
            throw ApiException.badRequest("certificatePem: expired on " + certificate.getNotAfter().toInstant());
        }
        if (!matches(certificate.getPublicKey(), key)) {
            throw ApiException.badRequest("privateKeyPem: is not the key of the certificate in certificatePem");
        }
        trustedCas(mesh);
        CaRow row = store.rotate(mesh, Pem.write(certificate), encryption.encrypt(
                Pem.write(key).getBytes(StandardCharsets.US_ASCII), mesh), certificate.getNotAfter().toInstant(), true);
        forget(mesh);
        return row;
    }

    /** Ends a rotation's overlap: only the active CA stays trusted. */
    public int endOverlap(String mesh) {
        int retired = store.retirePrevious(mesh);
        forget(mesh);
        return retired;
    }

    private static boolean matches(PublicKey publicKey, PrivateKey privateKey) {
        try {
            String algorithm = signatureAlgorithm(publicKey);
            java.security.Signature signer = java.security.Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            byte[] probe = "meshplane".getBytes(StandardCharsets.US_ASCII);
            signer.update(probe);
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (Exception e) {
            return false;
        }
    }

    private static String signatureAlgorithm(PublicKey key) {
        if (key instanceof ECPublicKey) {
            return "SHA256withECDSA";
        }
        if (key instanceof RSAPublicKey) {
            return "SHA256withRSA";
        }
        throw ApiException.badRequest("certificatePem: only EC and RSA keys are supported, got " + key.getAlgorithm());
    }

    private X509Certificate selfSigned(String mesh, KeyPair keys) {
        Instant now = clock.instant();
        try {
            // attribute by attribute, so that a mesh name holding ',', '+', '"' or a backslash is a value, not X.500 syntax
            X500Name name = new X500NameBuilder().addRDN(BCStyle.O, "Meshplane").addRDN(BCStyle.OU, mesh)
                    .addRDN(BCStyle.CN, "Meshplane CA " + mesh + " " + now.getEpochSecond()).build();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            org.bouncycastle.cert.X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, random),
                    Date.from(now.minusSeconds(60)), Date.from(now.plus(properties.caLifetime())), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create a CA for mesh '" + mesh + "'", e);
        }
    }

    private KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
