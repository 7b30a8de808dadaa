package dev.meshplane.controlplane.auth;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.resource.ResourceId;
import dev.meshplane.api.resource.ResourceKind;
import dev.meshplane.api.security.IssueCredentialRequest;
import dev.meshplane.api.security.IssueProxyTokenRequest;
import dev.meshplane.api.validation.RequestDecoder;
import dev.meshplane.persistence.AuthStore;
import dev.meshplane.persistence.ResourceStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Credentials and the audit log: API tokens and access keys (admin on every mesh), proxy tokens and
 * proxy access keys (admin on the mesh; role proxy, bound to one node), each shown once when issued;
 * revocation; and who changed what.
 */
@RestController
@Tag(name = "Credentials and audit", description = "Tokens for API callers and proxies, access keys for AWS clients, and the audit log")
class CredentialController {

    private final Authenticator authenticator;
    private final AuthStore store;
    private final Auditor auditor;
    private final ResourceStore resources;
    private final dev.meshplane.controlplane.xds.XdsServer xds;

    CredentialController(Authenticator authenticator, AuthStore store, Auditor auditor, ResourceStore resources,
            dev.meshplane.controlplane.xds.XdsServer xds) {
        this.authenticator = authenticator;
        this.store = store;
        this.auditor = auditor;
        this.resources = resources;
        this.xds = xds;
    }

    private static Principal.Role role(IssueCredentialRequest body) {
        Principal.Role role;
        try {
            role = Principal.Role.parse(body.role());
        } catch (RuntimeException e) {
            throw ApiException.badRequest("role: must be admin, editor or viewer");
        }
        if (role == Principal.Role.PROXY) {
            throw ApiException.badRequest("role: proxy credentials are bound to a node: POST /v1/meshes/{mesh}/proxyTokens"
                    + " or /v1/meshes/{mesh}/proxyAccessKeys with {\"virtualNode\": name}");
        }
        return role;
    }

    private static List<String> meshes(IssueCredentialRequest body) {
        for (String mesh : body.meshes()) {
            // the store keeps a credential's meshes comma-separated
            if (mesh.isBlank() || mesh.contains(",")) {
                throw ApiException.badRequest("meshes: each entry must be a mesh name or \"*\"");
            }
        }
        return body.meshes();
    }

    private static Instant expiry(Long seconds) {
        if (seconds == null) {
            return null;
        }
        if (seconds < 60 || seconds > 366L * 86_400) {
            throw ApiException.badRequest("expiresInSeconds: must be between 60 and 31622400");
        }
        return Instant.now().plusSeconds(seconds);
    }

    private static Map<String, Object> view(AuthStore.Credential c) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", c.id());
        view.put("name", c.name());
        view.put("role", Authenticator.principal(c).role().name().toLowerCase(java.util.Locale.ROOT));
        view.put("meshes", List.of(c.meshes().split(",")));
        if (c.proxyNode() != null) {
            view.put("nodeId", c.proxyNode());
        }
        view.put("createdBy", c.createdBy());
        view.put("createdAt", c.createdAt().getEpochSecond());
        view.put("expiresAt", c.expiresAt() == null ? null : c.expiresAt().getEpochSecond());
        view.put("revokedAt", c.revokedAt() == null ? null : c.revokedAt().getEpochSecond());
        return view;
    }

    @PostMapping("/v1/tokens")
    @PreAuthorize("hasPermission(null, 'allMeshes', 'admin')")
    @Operation(operationId = "IssueApiToken", summary = "Issues a bearer token for API callers; the token is shown only in this answer",
            description = "Body: {\"name\", \"role\": admin|editor|viewer, \"meshes\": [names] or [\"*\"], \"expiresInSeconds\"}")
    Map<String, Object> issueToken(@RequestBody(required = false) byte[] bytes) {
        Map<String, Object> view = issue(bytes, "IssueApiToken", authenticator::issueApiToken);
        view.put("token", view.remove("secret"));
        return view;
    }

    @PostMapping("/v1/accessKeys")
    @PreAuthorize("hasPermission(null, 'allMeshes', 'admin')")
    @Operation(operationId = "IssueAccessKey", summary = "Issues an access key for the AWS CLI and SDKs (SigV4); the secret is shown only here",
            description = "Body: {\"name\", \"role\", \"meshes\", \"expiresInSeconds\"}. Use them as AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.")
    Map<String, Object> issueAccessKey(@RequestBody(required = false) byte[] bytes) {
        Map<String, Object> view = issue(bytes, "IssueAccessKey", authenticator::issueAccessKey);
        view.put("accessKeyId", view.get("id"));
        view.put("secretAccessKey", view.remove("secret"));
        return view;
    }

    /** How an API token or an access key is made. */
    private interface Issuer {
        Authenticator.Issued issue(String name, Principal.Role role, List<String> meshes, Instant expiresAt, String by);
    }

    /** Reads name, role, meshes and expiry, issues the credential with its audit entry, and shows it with its secret. */
    private Map<String, Object> issue(byte[] bytes, String action, Issuer issuer) {
        IssueCredentialRequest body = RequestDecoder.decode(bytes, IssueCredentialRequest.class);
        String name = body.name();
        Principal.Role role = role(body);
        List<String> meshes = meshes(body);
        Instant expires = expiry(body.expiresInSeconds());
        Authenticator.Issued issued = auditor.write(() -> issuer.issue(name, role, meshes, expires, CurrentPrincipal.get().actor()),
                i -> new Auditor.Entry(action, null, i.credential().id(), null, null,
                        "name=" + name + " role=" + role.name().toLowerCase() + " meshes=" + meshes));
        Map<String, Object> view = view(issued.credential());
        view.put("secret", issued.secret());
        return view;
    }

    @PostMapping("/v1/meshes/{meshName}/proxyTokens")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'admin')")
    @Operation(operationId = "IssueProxyToken", summary = "Issues a token for the proxies of one virtual node or gateway",
            description = "Body: {\"virtualNode\": name} or {\"virtualGateway\": name}, and \"expiresInSeconds\""
                    + " (meshplane.security.proxy-token-lifetime, 365 days by default, when omitted). The token is a JWT signed"
                    + " by Meshplane (HS256; sub: the node id, jti: the token's id, exp). Proxies send it on their xDS stream as gRPC metadata \"authorization: Bearer <token>\"; their node id must"
                    + " be that node's.")
    Map<String, Object> issueProxyToken(@PathVariable String meshName, @RequestBody(required = false) byte[] bytes) {
        Authenticator.Issued issued = issueForProxy(meshName, bytes, "IssueProxyToken", authenticator::issueProxyToken);
        Map<String, Object> view = view(issued.credential());
        view.put("token", issued.secret());
        return view;
    }

    /** How a proxy credential (token or access key) is made. */
    private interface ProxyIssuer {
        Authenticator.Issued issue(String name, String nodeId, String mesh, Instant expiresAt, String by);
    }

    /** Reads the node and expiry, and issues a proxy credential bound to that node with its audit entry. */
    private Authenticator.Issued issueForProxy(String meshName, byte[] bytes, String action, ProxyIssuer issuer) {
        IssueProxyTokenRequest body = RequestDecoder.decode(bytes, IssueProxyTokenRequest.class);
        String nodeId = proxyNode(meshName, body);
        Instant expires = expiry(body.expiresInSeconds());
        return auditor.write(() -> issuer.issue(nodeId, nodeId, meshName, expires, CurrentPrincipal.get().actor()),
                i -> new Auditor.Entry(action, meshName, i.credential().id(), null, null, "for " + nodeId));
    }

    @PostMapping("/v1/meshes/{meshName}/proxyAccessKeys")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'admin')")
    @Operation(operationId = "IssueProxyAccessKey", summary = "Issues an access key for the proxies of one virtual node or gateway;"
            + " the secret is shown only here",
            description = "Body: {\"virtualNode\": name} or {\"virtualGateway\": name}, and \"expiresInSeconds\" (no expiry when"
                    + " omitted). Role proxy: it signs that node's xDS streams with SigV4 (Envoy's AWS IAM gRPC credentials,"
                    + " service appmesh), which then receive its configuration and secrets, and it reads that node's"
                    + " certificate; nothing else.")
    Map<String, Object> issueProxyAccessKey(@PathVariable String meshName, @RequestBody(required = false) byte[] bytes) {
        Authenticator.Issued issued = issueForProxy(meshName, bytes, "IssueProxyAccessKey", authenticator::issueProxyAccessKey);
        Map<String, Object> view = view(issued.credential());
        view.put("accessKeyId", issued.credential().id());
        view.put("secretAccessKey", issued.secret());
        return view;
    }

    /** The node id a proxy credential is issued for, from {"virtualNode"} or {"virtualGateway"}; 404 when it does not exist. */
    private String proxyNode(String meshName, IssueProxyTokenRequest body) {
        String node = body.virtualNode();
        String gateway = body.virtualGateway();
        if ((node == null) == (gateway == null)) {
            throw ApiException.badRequest("exactly one of [virtualNode, virtualGateway] must be set");
        }
        ResourceId id = ResourceId.of(node != null ? ResourceKind.VIRTUAL_NODE : ResourceKind.VIRTUAL_GATEWAY, meshName,
                node != null ? node : gateway);
        resources.describe(id);
        return "mesh/" + meshName + "/" + id.kind().arnSegment() + "/" + id.name();
    }

    @GetMapping("/v1/tokens")
    @PreAuthorize("hasPermission(null, 'allMeshes', 'admin')")
    @Operation(operationId = "ListCredentials", summary = "Every credential (never a secret): API tokens, proxy tokens, access keys")
    Map<String, Object> list() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("apiTokens", store.list("API_TOKEN").stream().map(CredentialController::view).toList());
        all.put("proxyTokens", store.list("PROXY_TOKEN").stream().map(CredentialController::view).toList());
        all.put("accessKeys", store.list("ACCESS_KEY").stream().map(CredentialController::view).toList());
        return all;
    }

    @DeleteMapping({"/v1/tokens/{id}", "/v1/accessKeys/{id}"})
    @PreAuthorize("hasPermission(null, 'allMeshes', 'admin')")
    @Operation(operationId = "RevokeCredential", summary = "Revokes a token or access key at once; proxies using it are cut off")
    Map<String, Object> revoke(@PathVariable String id) {
        AuthStore.Credential credential = store.byId(id).filter(c -> c.revokedAt() == null)
                .orElseThrow(() -> ApiException.notFound("credential '" + id + "' does not exist or is revoked already"));
        auditor.write(() -> store.revoke(id, Instant.now()), new Auditor.Entry("Revoke" + switch (credential.kind()) {
            case "API_TOKEN" -> "ApiToken";
            case "PROXY_TOKEN" -> "ProxyToken";
            default -> credential.proxyNode() == null ? "AccessKey" : "ProxyAccessKey";
        }, credential.proxyNode() == null ? null : credential.meshes(), id, null, null, credential.name()));
        xds.recheckProxyTokens(); // streams on this replica using it (a proxy token or any access key) are cut off now
        return view(store.byId(id).orElseThrow());
    }

    @DeleteMapping("/v1/meshes/{meshName}/proxyTokens/{id}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'admin')")
    @Operation(operationId = "RevokeProxyToken", summary = "Revokes a proxy token; its streams are closed")
    Map<String, Object> revokeProxyToken(@PathVariable String meshName, @PathVariable String id) {
        store.byId(id).filter(c -> c.kind().equals("PROXY_TOKEN") && c.meshes().equals(meshName))
                .orElseThrow(() -> ApiException.notFound("proxy token '" + id + "' does not exist in mesh '" + meshName + "'"));
        return revoke(id);
    }

    @DeleteMapping("/v1/meshes/{meshName}/proxyAccessKeys/{id}")
    @PreAuthorize("hasPermission(#meshName, 'mesh', 'admin')")
    @Operation(operationId = "RevokeProxyAccessKey", summary = "Revokes a proxy access key; its streams are closed")
    Map<String, Object> revokeProxyAccessKey(@PathVariable String meshName, @PathVariable String id) {
        store.byId(id).filter(c -> c.kind().equals("ACCESS_KEY") && c.proxyNode() != null && c.meshes().equals(meshName))
                .orElseThrow(() -> ApiException.notFound("proxy access key '" + id + "' does not exist in mesh '" + meshName + "'"));
        return revoke(id);
    }

    @GetMapping("/v1/audit")
    @PreAuthorize("hasPermission(null, 'allMeshes', 'admin')")
    @Operation(operationId = "ListAuditEntries", summary = "Who changed what, and who was refused, newest first",
            description = "Every write and every credential issued or revoked (with the version before and after), and every"
                    + " refusal: AuthenticationFailed (401), AccessDenied (403), XdsStreamRefused, XdsStreamCutOff."
                    + " Filters: actor, mesh, action (e.g. UpdateRoute, IssueApiToken, AccessDenied), since and until (epoch"
                    + " seconds), limit (1-1000, 100)")
    Map<String, Object> audit(@RequestParam(required = false) String actor, @RequestParam(required = false) String mesh,
            @RequestParam(required = false) String action, @RequestParam(required = false) Long since,
            @RequestParam(required = false) Long until, @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("limit: must be between 1 and 1000");
        }
        return Map.of("entries", store.audit(actor, mesh, action, since == null ? null : Instant.ofEpochSecond(since),
                until == null ? null : Instant.ofEpochSecond(until), limit).stream().map(e -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("id", e.id());
                    view.put("at", e.at().toEpochMilli() / 1000.0);
                    view.put("actor", e.actor());
                    view.put("action", e.action());
                    view.put("meshName", e.mesh());
                    view.put("target", e.target());
                    view.put("versionBefore", e.versionBefore());
                    view.put("versionAfter", e.versionAfter());
                    view.put("detail", e.detail());
                    return view;
                }).toList());
    }
}
