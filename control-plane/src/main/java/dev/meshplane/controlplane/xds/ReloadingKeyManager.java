package dev.meshplane.controlplane.xds;

import java.net.Socket;
import java.security.PrivateKey;
import java.security.Principal;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/** A server key manager whose certificate can be replaced while the server runs (new handshakes use the new one). */
final class ReloadingKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "meshplane";

    private record Current(X509Certificate certificate, PrivateKey key) {
    }

    private volatile Current current;

    void use(X509Certificate certificate, PrivateKey key) {
        current = new Current(certificate, key);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return current == null ? null : ALIAS;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return current == null ? null : ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return current == null ? new String[0] : new String[] {ALIAS};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Current now = current;
        return now == null ? null : new X509Certificate[] {now.certificate()};
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Current now = current;
        return now == null ? null : now.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[0];
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
