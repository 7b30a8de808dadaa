package dev.meshplane.controlplane.security;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The REST port's certificate from Meshplane's own CA ({@code meshplane.rest.tls.built-in=true} with
 * {@code server.ssl.bundle=meshplane-built-in}). The web server starts before the database is read,
 * so the bundle begins with a throw-away self-signed certificate and is replaced, once the
 * application is ready, by one from the built-in CA; Spring Boot reloads the server's TLS when a
 * bundle is updated. It is checked again every hour and replaced at half its life.
 */
@Component
@ConditionalOnProperty(name = "meshplane.rest.tls.built-in", havingValue = "true")
public class BuiltInRestTls implements SslBundleRegistrar, ApplicationListener<ApplicationReadyEvent> {

    public static final String BUNDLE = "meshplane-built-in";
    private static final Logger log = LoggerFactory.getLogger(BuiltInRestTls.class);
    private static final String ALIAS = "meshplane";
    private static final String PASSWORD = "in-memory-only";

    private final ObjectProvider<SslBundleRegistry> registry;
    private final ObjectProvider<CertificateAuthority> authority;
    private final Environment environment;
    private volatile X509Certificate serving;
    private ScheduledExecutorService renewals;

    public BuiltInRestTls(ObjectProvider<SslBundleRegistry> registry, ObjectProvider<CertificateAuthority> authority,
            Environment environment) {
        this.registry = registry;
        this.authority = authority;
        this.environment = environment;
    }

    @Override
    public void registerBundles(SslBundleRegistry bundles) {
        try {
            KeyPair keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
            X500Name name = new X500Name("CN=meshplane starting");
            X509Certificate temporary = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                    BigInteger.ONE, Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plusSeconds(3600)),
                    name, keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            bundles.registerBundle(BUNDLE, bundle(temporary, keys.getPrivate()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare the REST port's TLS", e);
        }
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        renew();
        renewals = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "meshplane-rest-tls");
            thread.setDaemon(true);
            return thread;
        });
        renewals.scheduleWithFixedDelay(this::renew, 1, 1, TimeUnit.HOURS);
    }

    void renew() {
        try {
            CertificateAuthority.Identity identity = authority.getObject()
                    .serverIdentity(environment.getProperty("meshplane.xds.advertised-host"));
            if (identity.certificate() != serving) {
                registry.getObject().updateBundle(BUNDLE, bundle(identity.certificate(), identity.key()));
                serving = identity.certificate();
                log.info("The REST port now presents a certificate from the built-in CA, valid until {}",
                        identity.certificate().getNotAfter().toInstant());
            }
        } catch (RuntimeException e) {
            log.error("Cannot renew the REST port's certificate: {}", e.toString());
        }
    }

    private static SslBundle bundle(X509Certificate certificate, PrivateKey key) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, PASSWORD.toCharArray(), new X509Certificate[] {certificate});
            return SslBundle.of(SslStoreBundle.of(store, PASSWORD, null), SslBundleKey.of(PASSWORD, ALIAS));
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the REST port's key store", e);
        }
    }
}
