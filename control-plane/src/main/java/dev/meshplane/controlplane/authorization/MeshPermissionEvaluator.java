package dev.meshplane.controlplane.authorization;

import dev.meshplane.api.error.ErrorCode;
import dev.meshplane.api.registry.InstanceRules;
import dev.meshplane.api.resource.ResourceId;
import dev.meshplane.controlplane.appmesh.ResourceService;
import dev.meshplane.controlplane.auth.CallerAuthentication;
import dev.meshplane.controlplane.auth.Principal;
import dev.meshplane.controlplane.auth.SecurityEvents;
import dev.meshplane.api.model.VirtualNodeSpec;
import dev.meshplane.persistence.RegistryStore;
import dev.meshplane.persistence.ResourceStore;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.security.access.PermissionEvaluator;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The one place where Meshplane decides what a caller may do. Each handler names its rule with
 * {@code @PreAuthorize("hasPermission(<target>, '<kind>', '<role>')")} over the values it acts on:
 * the resolved path variables, the parsed request parameters. Target kinds:
 * <ul>
 * <li>{@code mesh}: the mesh name; the caller needs the role on it.</li>
 * <li>{@code allMeshes}: no target; the role on {@code *} (creating meshes, credentials, the audit log).</li>
 * <li>{@code anyMesh}: no target; the role on at least one mesh (lists that filter by mesh).</li>
 * <li>{@code resourceArn}: an App Mesh ARN, parsed as the tagging operations parse it; the role on its mesh.</li>
 * <li>{@code registryService}: {@code [namespace, service]}; the role on every mesh whose virtual
 * nodes select that service, or on {@code *} when none does.</li>
 * <li>{@code virtualNodeCertificate}: {@code [mesh, node]}; only that node's own proxy credential (a proxy
 * token or proxy access key): a private key goes to the proxy it identifies and to no API role, admins
 * included (an admin may issue a proxy credential, which the audit log records).</li>
 * </ul>
 * A caller without valid credentials gets {@link Refusal} 401, one without the role 403. Only
 * viewer, editor and admin act on the API: a proxy credential (role proxy) passes no rule but its own
 * node's certificate. The 403's message names
 * only what the caller itself asked for, never a mesh it may not read.
 */
@Component
public class MeshPermissionEvaluator implements PermissionEvaluator {

    /** The roles that act on the API; any other (one meant for proxies) acts on none of it. */
    private static final Set<Principal.Role> API_ROLES = java.util.EnumSet.of(Principal.Role.VIEWER,
            Principal.Role.EDITOR, Principal.Role.ADMIN);

    private final ResourceService resources;
    private final ResourceStore store;
    private final RegistryStore registry;

    MeshPermissionEvaluator(ResourceService resources, ResourceStore store, RegistryStore registry) {
        this.resources = resources;
        this.store = store;
        this.registry = registry;
    }

    /**
     * A virtual node write that makes the node select a registry service it did not select before
     * ({@code serviceDiscovery.awsCloudMap}): the node's proxies will be sent that service's instances,
     * and this mesh's viewers can read what its proxies are sent, so the caller must be one who may
     * read the service under the registry rule, counting the meshes other than the node's own that
     * select it (viewer on each of them). A service no other mesh selects and that holds no instance
     * is free to select; one that holds instances nobody selects takes viewer on every mesh ({@code *}).
     * Called by the handler on the spec it is about to store.
     *
     * @param mesh   the node's mesh
     * @param before the node's spec as stored (null for a create)
     * @param after  the spec being written
     * @throws Refusal 403 naming what the caller needs (never which meshes select the service)
     */
    public void checkRegistrySelection(String mesh, VirtualNodeSpec before, VirtualNodeSpec after) {
        String wanted = selection(after);
        if (wanted == null || wanted.equals(selection(before))) {
            return;
        }
        String namespace = after.serviceDiscovery().awsCloudMap().namespaceName();
        String service = after.serviceDiscovery().awsCloudMap().serviceName();
        List<String> others = store.meshesSelecting(namespace, service).stream().filter(m -> !m.equals(mesh)).toList();
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof CallerAuthentication caller) || caller.principal() == null) {
            throw unauthenticated(authentication, mesh);
        }
        boolean may;
        if (!others.isEmpty()) {
            may = others.stream().allMatch(m -> caller.principal().may(Principal.Role.VIEWER, m));
        } else {
            may = registry.ofServices(List.of(wanted)).isEmpty() || caller.principal().may(Principal.Role.VIEWER, "*");
        }
        allow(caller, may, mesh, "viewer on every other mesh whose virtual nodes select registry service '" + wanted
                + "' (on every mesh, *, when it holds instances no mesh selects): its instances would reach this"
                + " node's proxies");
    }

    private static String selection(VirtualNodeSpec spec) {
        return spec == null || spec.serviceDiscovery() == null || spec.serviceDiscovery().awsCloudMap() == null ? null
                : spec.serviceDiscovery().awsCloudMap().namespaceName() + "/" + spec.serviceDiscovery().awsCloudMap().serviceName();
    }

    /** Not used: every rule names the kind of its target (IllegalArgumentException). */
    @Override
    public boolean hasPermission(Authentication authentication, Object target, Object role) {
        throw new IllegalArgumentException("name the kind of target: hasPermission(target, kind, role)");
    }

    /**
     * Whether the caller may act on {@code target} of {@code kind} with {@code role} (viewer, editor,
     * admin): true, or a {@link Refusal} (401 or 403). An unknown kind is a programming error
     * (IllegalArgumentException); an ARN that does not parse is the tagging operations' own 400.
     */
    @Override
    public boolean hasPermission(Authentication authentication, Serializable target, String kind, Object role) {
        return check(authentication, target, kind, Principal.Role.valueOf(role.toString().toUpperCase(Locale.ROOT)));
    }

    /** For handlers that filter what they show: may the current caller read this mesh? Never throws. */
    public boolean mayRead(String mesh) {
        Principal principal = principal(SecurityContextHolder.getContext().getAuthentication());
        return principal != null && principal.may(Principal.Role.VIEWER, mesh);
    }

    /** The meshes the current caller may read: null for every mesh, empty for none. */
    public Set<String> readableMeshes() {
        Principal principal = principal(SecurityContextHolder.getContext().getAuthentication());
        if (principal == null) {
            return Set.of();
        }
        return principal.meshes().contains("*") ? null : Set.copyOf(principal.meshes());
    }

    private boolean check(Authentication authentication, Object target, String kind, Principal.Role role) {
        if (!(authentication instanceof CallerAuthentication caller) || caller.principal() == null) {
            throw unauthenticated(authentication, kind.equals("mesh") ? (String) target : null);
        }
        if (!API_ROLES.contains(caller.principal().role())) {
            // a credential whose role is meant for proxies acts on no API operation, only its node's certificate
            return kind.equals("virtualNodeCertificate") && ownCertificate(caller, (List<?>) target)
                    || allow(caller, false, null, "a role of " + API_ROLES);
        }
        String wanted = role.name().toLowerCase(Locale.ROOT);
        switch (kind) {
            case "mesh" -> {
                String mesh = (String) target;
                return allow(caller, caller.principal().may(role, mesh), mesh, wanted + " on mesh '" + mesh + "'");
            }
            case "allMeshes" -> {
                return allow(caller, caller.principal().may(role, "*"), null, wanted + " on every mesh (*)");
            }
            case "anyMesh" -> {
                return allow(caller, caller.principal().may(role, null), null, wanted + " on a mesh");
            }
            case "resourceArn" -> {
                ResourceId id = resources.parseArn((String) target);
                return allow(caller, caller.principal().may(role, id.mesh()), id.mesh(),
                        wanted + " on mesh '" + id.mesh() + "'");
            }
            case "registryService" -> {
                List<?> names = (List<?>) target;
                // the handler's own check, first: names it would refuse are a 400, and never reach the query
                InstanceRules.checkPath((String) names.get(0), (String) names.get(1), null);
                List<String> owners = store.meshesSelecting((String) names.get(0), (String) names.get(1));
                boolean may = owners.isEmpty() ? caller.principal().may(role, "*")
                        : owners.stream().allMatch(mesh -> caller.principal().may(role, mesh));
                // one message whether or not other meshes select it, so a refusal tells nothing about them
                return allow(caller, may, null, wanted + " on every mesh whose virtual nodes select registry service '"
                        + names.get(0) + "/" + names.get(1) + "' (on every mesh, *, when none does)");
            }
            case "virtualNodeCertificate" -> {
                String mesh = (String) ((List<?>) target).get(0);
                // development mode has no credentials to give a proxy: there, as everywhere, it acts as admin
                return allow(caller, caller.principal().development(), mesh, "that node's own proxy credential (a proxy"
                        + " token or proxy access key): only the proxy a private key identifies receives it");
            }
            default -> throw new IllegalArgumentException("unknown kind of target: " + kind);
        }
    }

    private static boolean ownCertificate(CallerAuthentication caller, List<?> meshAndNode) {
        return caller.principal().mayReceiveSecretsOf("mesh/" + meshAndNode.get(0) + "/virtualNode/" + meshAndNode.get(1));
    }

    /** The caller's principal when it holds an API role; null for proxies and callers without credentials. */
    private static Principal principal(Authentication authentication) {
        return authentication instanceof CallerAuthentication caller
                && caller.principal() != null && API_ROLES.contains(caller.principal().role()) ? caller.principal() : null;
    }

    private static boolean allow(CallerAuthentication caller, boolean may, String mesh, String needed) {
        Principal principal = caller.principal();
        if (may && API_ROLES.contains(principal.role())) {
            return true;
        }
        String who = principal.role() == Principal.Role.PROXY
                ? principal.name() + " (a proxy credential for " + String.join(",", principal.nodes()) + ")"
                : principal.name() + " (" + principal.role().name().toLowerCase(Locale.ROOT) + " on "
                        + String.join(",", principal.meshes()) + ")";
        String message = who + " may not " + call() + ": it needs " + needed;
        throw new Refusal(403, ErrorCode.FORBIDDEN.type(), message, principal.actor(), SecurityEvents.ACCESS_DENIED,
                mesh, message);
    }

    /** A 401 for a caller without valid credentials, whatever the rule. */
    static Refusal unauthenticated(Authentication authentication, String mesh) {
        CallerAuthentication caller = authentication instanceof CallerAuthentication c ? c : null;
        boolean none = caller == null || caller.claimed().equals("anonymous");
        return new Refusal(401, "UnauthorizedException", none
                ? "authentication required: send Authorization: Bearer <token>, or sign with a Meshplane access key (SigV4)"
                : "the credentials are not valid (unknown, expired or revoked, or the signature does not match)",
                caller == null ? "anonymous" : caller.claimed(), SecurityEvents.AUTHENTICATION_FAILED, mesh,
                caller == null ? "no credentials" : caller.failure());
    }

    /** The call being decided, as the audit log and messages show it: method and path as sent. */
    static String call() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            return request.getMethod() + " " + request.getRequestURI();
        }
        return "this call";
    }
}
