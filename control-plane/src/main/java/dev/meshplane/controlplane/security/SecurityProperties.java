package dev.meshplane.controlplane.security;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Certificates and keys.
 *
 * @param keyEncryptionKey    base64 of 32 random bytes (AES-256) that encrypts the CAs' private keys in
 *                            PostgreSQL; every replica needs the same one. When unset, a key is generated
 *                            into {@code keyFile} on first need, which suits one server only
 * @param keyFile             where that generated key is kept (mode 0600)
 * @param certificateLifetime lifetime of the certificates proxies get; they are renewed at half of it
 * @param caLifetime          lifetime of a generated CA certificate
 */
@ConfigurationProperties("meshplane.security")
public record SecurityProperties(
        String keyEncryptionKey,
        @DefaultValue("meshplane-data/key-encryption.key") Path keyFile,
        @DefaultValue("24h") Duration certificateLifetime,
        @DefaultValue("3650d") Duration caLifetime) {
}
