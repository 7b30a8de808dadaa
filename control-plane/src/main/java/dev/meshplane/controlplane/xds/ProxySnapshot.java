package dev.meshplane.controlplane.xds;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import dev.meshplane.snapshot.ProxyResources;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.VersionedResource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resources one group of identical proxies is to receive, with versions that are content
 * hashes: the same configuration has the same version in every process and after every restart,
 * so rebuilding without a change sends nothing.
 */
public final class ProxySnapshot {

    /** The resources of one xDS type and the version of the whole set. */
    public record TypeResources(String version, Map<String, VersionedResource<?>> resources) {
    }

    private final Map<ResourceType, TypeResources> types;

    private ProxySnapshot(Map<ResourceType, TypeResources> types) {
        this.types = types;
    }

    public static ProxySnapshot of(ProxyResources resources) {
        return of(resources, List.of());
    }

    /** The resources, and the SDS secrets served on the same stream. */
    public static ProxySnapshot of(ProxyResources resources,
            List<io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret> secrets) {
        Map<ResourceType, TypeResources> types = new EnumMap<>(ResourceType.class);
        types.put(ResourceType.CLUSTER, type(resources.clusters(), c -> c.getName()));
        types.put(ResourceType.ENDPOINT, type(resources.endpoints(), e -> e.getClusterName()));
        types.put(ResourceType.LISTENER, type(resources.listeners(), l -> l.getName()));
        types.put(ResourceType.ROUTE, type(resources.routes(), r -> r.getName()));
        types.put(ResourceType.SECRET, type(secrets, m -> m.getName()));
        return new ProxySnapshot(types);
    }

    /** The same resources with other secrets (a renewed certificate, a new trust bundle). */
    public ProxySnapshot withSecrets(List<io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret> secrets) {
        Map<ResourceType, TypeResources> copy = new EnumMap<>(types);
        copy.put(ResourceType.SECRET, type(secrets, m -> m.getName()));
        return new ProxySnapshot(copy);
    }

    private static <T extends Message> TypeResources type(List<T> messages, java.util.function.Function<T, String> name) {
        Map<String, VersionedResource<?>> resources = new LinkedHashMap<>();
        MessageDigest typeDigest = sha256();
        for (T message : messages) {
            String version = hash(message);
            String resourceName = name.apply(message);
            resources.put(resourceName, VersionedResource.create(message, version));
            typeDigest.update(resourceName.getBytes(StandardCharsets.UTF_8));
            typeDigest.update((byte) 0);
            typeDigest.update(version.getBytes(StandardCharsets.UTF_8));
        }
        String version = HexFormat.of().formatHex(typeDigest.digest()).substring(0, 16);
        return new TypeResources(version, Collections.unmodifiableMap(resources));
    }

    /**
     * Hashes by instance: translation shares message instances between the proxies of one mesh view,
     * so a resource every caller of a service gets is encoded and hashed once.
     */
    private static final com.google.common.cache.Cache<Message, String> HASHES =
            com.google.common.cache.CacheBuilder.newBuilder().weakKeys().build();

    /** A content hash of a message, from its deterministic encoding (remembered per instance). */
    static String hash(Message message) {
        String known = HASHES.getIfPresent(message);
        if (known == null) {
            known = computeHash(message);
            HASHES.put(message, known);
        }
        return known;
    }

    private static String computeHash(Message message) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.getSerializedSize());
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.useDeterministicSerialization();
            message.writeTo(out);
            out.flush();
            return HexFormat.of().formatHex(sha256().digest(bytes.toByteArray())).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public TypeResources get(ResourceType type) {
        return types.get(type);
    }

    public String version(ResourceType type) {
        return types.get(type).version();
    }

    /** Same content in every type. */
    public boolean sameAs(ProxySnapshot other) {
        if (other == null) {
            return false;
        }
        for (ResourceType type : ResourceType.values()) {
            if (!version(type).equals(other.version(type))) {
                return false;
            }
        }
        return true;
    }
}
