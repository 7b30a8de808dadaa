package dev.meshplane.controlplane.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Encrypts private keys for storage: AES-256-GCM with a random 12-byte nonce stored before the
 * ciphertext, and the mesh name as associated data (a key copied to another mesh's row does not
 * decrypt). The key comes from {@code meshplane.security.key-encryption-key}, or else from a file
 * generated on first need.
 */
@Component
public class KeyEncryption {

    private static final Logger log = LoggerFactory.getLogger(KeyEncryption.class);
    private static final int NONCE = 12;

    private final SecurityProperties properties;
    private final SecureRandom random = new SecureRandom();
    private volatile SecretKey key;

    public KeyEncryption(SecurityProperties properties) {
        this.properties = properties;
    }

    public byte[] encrypt(byte[] plain, String mesh) {
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(mesh.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a private key", e);
        }
    }

    public byte[] decrypt(byte[] stored, String mesh) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(128, stored, 0, NONCE));
            cipher.updateAAD(mesh.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return cipher.doFinal(stored, NONCE, stored.length - NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt the CA key of mesh '" + mesh + "': is"
                    + " meshplane.security.key-encryption-key the one it was stored with?", e);
        }
    }

    /**
     * A key of its own for another purpose (HMAC-SHA256 of the purpose under this key), so that one
     * configured secret serves every replica without the encryption key itself being used twice.
     */
    public byte[] derive(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key().getEncoded(), "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive a key", e);
        }
    }

    private SecretKey key() {
        if (key == null) {
            synchronized (this) {
                if (key == null) {
                    key = new SecretKeySpec(load(), "AES");
                }
            }
        }
        return key;
    }

    private byte[] load() {
        if (properties.keyEncryptionKey() != null && !properties.keyEncryptionKey().isBlank()) {
            byte[] configured = Base64.getDecoder().decode(properties.keyEncryptionKey().strip());
            if (configured.length != 32) {
                throw new IllegalStateException("meshplane.security.key-encryption-key must be base64 of 32 bytes, got "
                        + configured.length + " bytes");
            }
            return configured;
        }
        Path file = properties.keyFile().toAbsolutePath();
        try {
            if (Files.exists(file)) {
                return Base64.getDecoder().decode(Files.readString(file).strip());
            }
            byte[] generated = new byte[32];
            random.nextBytes(generated);
            Files.createDirectories(file.getParent());
            Files.writeString(file, Base64.getEncoder().encodeToString(generated));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the file system has no POSIX permissions
            }
            log.warn("Generated a key to encrypt CA private keys at rest in {}. Several replicas need the same key:"
                    + " set meshplane.security.key-encryption-key (base64 of 32 random bytes) on each.", file);
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
