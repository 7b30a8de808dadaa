package dev.meshplane.api.resource;

import dev.meshplane.api.error.ApiException;
import java.util.Objects;

/**
 * Names one resource: its kind, its mesh, its parent (router or gateway, for routes and gateway
 * routes; empty otherwise) and its own name. A mesh's name and mesh are the same.
 */
public record ResourceId(ResourceKind kind, String mesh, String parent, String name) {

    public ResourceId {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mesh, "mesh");
        Objects.requireNonNull(name, "name");
        parent = parent == null ? "" : parent;
        if ((kind.parent() == null) != parent.isEmpty()) {
            throw new IllegalArgumentException(kind + " needs a parent exactly when its kind has one");
        }
    }

    public static ResourceId mesh(String mesh) {
        return new ResourceId(ResourceKind.MESH, mesh, "", mesh);
    }

    public static ResourceId of(ResourceKind kind, String mesh, String name) {
        return new ResourceId(kind, mesh, "", name);
    }

    /** The router of a route, or the gateway of a gateway route. */
    public ResourceId parentId() {
        return kind.parent() == null ? null : new ResourceId(kind.parent(), mesh, "", parent);
    }

    /** App Mesh's ARN: {@code arn:<partition>:appmesh:<region>:<account>:mesh/<m>[/<kind>/<name>...]}. */
    public String arn(String region, String account) {
        StringBuilder sb = new StringBuilder("arn:aws:appmesh:").append(region).append(':').append(account)
                .append(":mesh/").append(mesh);
        if (kind != ResourceKind.MESH) {
            if (!parent.isEmpty()) {
                sb.append('/').append(kind.parent().arnSegment()).append('/').append(parent);
            }
            sb.append('/').append(kind.arnSegment()).append('/').append(name);
        }
        return sb.toString();
    }

    /**
     * Parses an App Mesh ARN. The region and account must be this server's; anything else names
     * no resource here.
     */
    public static ResourceId parseArn(String arn, String region, String account) {
        String prefix = "arn:aws:appmesh:" + region + ":" + account + ":mesh/";
        if (arn == null || !arn.startsWith(prefix)) {
            throw ApiException.notFound("resourceArn '" + arn + "' does not name a resource of this server (expected '"
                    + prefix + "<mesh>...')");
        }
        String[] parts = arn.substring(prefix.length()).split("/", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                throw ApiException.badRequest("resourceArn '" + arn + "' has an empty name segment");
            }
        }
        String mesh = parts[0];
        if (parts.length == 1) {
            return mesh(mesh);
        }
        if (parts.length == 3) {
            ResourceKind kind = ResourceKind.fromArnSegment(parts[1]);
            if (kind != null && kind.parent() == null && kind != ResourceKind.MESH) {
                return of(kind, mesh, parts[2]);
            }
        }
        if (parts.length == 5) {
            ResourceKind parentKind = ResourceKind.fromArnSegment(parts[1]);
            ResourceKind kind = ResourceKind.fromArnSegment(parts[3]);
            if (kind != null && kind.parent() != null && kind.parent() == parentKind) {
                return new ResourceId(kind, mesh, parts[2], parts[4]);
            }
        }
        throw ApiException.badRequest("resourceArn '" + arn + "' is not an App Mesh resource ARN");
    }

    /** How messages name this resource, e.g. {@code route 'r' of virtual router 'vr' in mesh 'm'}. */
    public String describe() {
        if (kind == ResourceKind.MESH) {
            return "mesh '" + mesh + "'";
        }
        String of = parent.isEmpty() ? "" : " of " + kind.parent().displayName() + " '" + parent + "'";
        return kind.displayName() + " '" + name + "'" + of + " in mesh '" + mesh + "'";
    }
}
