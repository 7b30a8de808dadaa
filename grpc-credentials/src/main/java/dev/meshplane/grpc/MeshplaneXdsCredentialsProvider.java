package dev.meshplane.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.xds.XdsCredentialsProvider;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The {@code meshplane} channel credentials type for gRPC's xDS bootstrap, found by grpc-java
 * through {@link java.util.ServiceLoader} once this jar is on the application's class path:
 *
 * <pre>{@code
 * "channel_creds": [{"type": "meshplane", "config": {
 *     "token_file": "/var/run/meshplane/proxy-token",
 *     "ca_certificate_file": "/etc/meshplane/xds-ca.pem"}}]
 * }</pre>
 *
 * <ul>
 * <li>{@code token_file}: a Meshplane proxy token, sent on the xDS stream as {@code authorization:
 * Bearer <token>}. The file is read again whenever it changes, so a new token applies from the next
 * stream.</li>
 * <li>{@code ca_certificate_file}: TLS to Meshplane, trusting the CA certificates in this PEM file
 * (grpc-java's own {@code tls} type ignores its configuration and trusts the system's CAs).</li>
 * <li>{@code tls}: {@code true} for TLS with the system's CAs; without it or a CA file the stream
 * is plaintext.</li>
 * </ul>
 * A configuration that names a missing file or an unknown member is refused with a message naming it.
 */
public final class MeshplaneXdsCredentialsProvider extends XdsCredentialsProvider {

    static final String NAME = "meshplane";
    private static final Set<String> MEMBERS = Set.of("token_file", "ca_certificate_file", "tls");

    @Override
    protected ChannelCredentials newChannelCredentials(Map<String, ?> config) {
        return create(config);
    }

    /** The credentials a bootstrap's {@code meshplane} entry describes. */
    public static ChannelCredentials create(Map<String, ?> config) {
        for (String member : config.keySet()) {
            if (!MEMBERS.contains(member)) {
                throw new IllegalArgumentException("meshplane channel_creds: unknown member '" + member
                        + "' (expected token_file, ca_certificate_file or tls)");
            }
        }
        String caFile = string(config, "ca_certificate_file");
        Object tls = config.get("tls");
        if (tls != null && !(tls instanceof Boolean)) {
            throw new IllegalArgumentException("meshplane channel_creds: tls must be true or false, got " + tls);
        }
        ChannelCredentials transport;
        if (caFile != null) {
            try {
                transport = TlsChannelCredentials.newBuilder().trustManager(new File(caFile)).build();
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("meshplane channel_creds: ca_certificate_file '" + caFile
                        + "' is not a readable PEM file of CA certificates: " + e.getMessage(), e);
            }
        } else if (Boolean.TRUE.equals(tls)) {
            transport = TlsChannelCredentials.create();
        } else {
            transport = InsecureChannelCredentials.create();
        }
        String tokenFile = string(config, "token_file");
        return tokenFile == null ? transport
                : CompositeChannelCredentials.create(transport, new ProxyTokenCredentials(Path.of(tokenFile)));
    }

    private static String string(Map<String, ?> config, String member) {
        Object value = config.get(member);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("meshplane channel_creds: " + member + " must be a file path, got " + value);
        }
        return text;
    }

    @Override
    protected String getName() {
        return NAME;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public int priority() {
        return 5;
    }
}
