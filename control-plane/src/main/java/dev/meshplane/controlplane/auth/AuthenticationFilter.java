package dev.meshplane.controlplane.auth;

import dev.meshplane.api.error.ErrorCode;
import dev.meshplane.controlplane.web.AppMeshErrorHandler;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authenticates every API call (a bearer token, or an AWS SigV4 signature made with a
 * Meshplane-issued access key) and checks the caller's role on the mesh the call is about: 401
 * without valid credentials, 403 without the role, both in App Mesh's error shape, and each refusal
 * in the audit log. Health probes, metrics and the API description are open. In development mode
 * every call is let through as admin.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class AuthenticationFilter extends OncePerRequestFilter {

    private static final Pattern MESH_PATH = Pattern.compile("^/v(?:20190125|1)/meshes/([^/]+)(/.*)?$");
    private static final Pattern ARN_MESH = Pattern.compile("arn:[^:]+:appmesh:[^:]*:[^:]*:mesh/([^/]+)");

    private final Authenticator authenticator;
    private final SecurityEvents events;

    public AuthenticationFilter(Authenticator authenticator, SecurityEvents events) {
        this.authenticator = authenticator;
        this.events = events;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        if (!authenticator.enabled()) {
            serveAs(Principal.DEVELOPMENT, request, response, chain);
            return;
        }
        if (open(path)) {
            chain.doFilter(request, response);
            return;
        }
        String authorization = request.getHeader("Authorization");
        Optional<Principal> principal = Optional.empty();
        HttpServletRequest forward = request;
        String claimed = authorization == null ? "anonymous" : "bearer token";
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).strip();
            principal = authenticator.bearer(token);
            if (principal.isEmpty() && request.getMethod().equals("GET")) {
                // a proxy token reads its own node's certificate (proxyless gRPC applications), nothing else
                Optional<dev.meshplane.persistence.AuthStore.Credential> proxy = authenticator.proxyToken(token);
                if (proxy.isPresent() && path.equals("/v1/meshes/" + proxy.get().proxyNode().replaceFirst("^mesh/", "")
                        .replace("/virtualNode/", "/virtualNodes/") + "/certificate")) {
                    serveAs(new Principal(proxy.get().id(), proxy.get().name(), Principal.Role.VIEWER,
                            java.util.Set.of(proxy.get().meshes())), request, response, chain);
                    return;
                }
            }
        } else if (authorization != null && authorization.startsWith(SigV4.ALGORITHM)) {
            BufferedRequest buffered = new BufferedRequest(request);
            forward = buffered;
            try {
                Authenticator.AccessKey key = authenticator.signed(authorization, signedRequest(buffered));
                claimed = "access key " + key.credential().id();
                principal = Optional.of(key.principal());
                if (principal.get().role() == Principal.Role.PROXY && request.getMethod().equals("GET")
                        && principal.get().nodes().stream().anyMatch(node -> path.equals(certificatePath(node)))) {
                    serveAs(principal.get(), buffered, response, chain); // a proxy key reads its node's certificate, nothing else
                    return;
                }
            } catch (SigV4.Rejected rejected) {
                claimed = rejected.accessKeyId() == null ? "anonymous" : "access key " + rejected.accessKeyId();
                if (rejected.failure() != SigV4.Failure.MISMATCH) {
                    events.refused(claimed, SecurityEvents.AUTHENTICATION_FAILED, null, request.getMethod() + " " + path,
                            rejected.getMessage() + " from " + request.getRemoteAddr());
                    boolean malformed = rejected.failure() == SigV4.Failure.MALFORMED;
                    write(response, malformed ? 400 : 403, malformed ? "IncompleteSignatureException"
                            : "InvalidSignatureException", rejected.getMessage());
                    return;
                }
            }
        }
        Requirement needed = requirement(request.getMethod(), path, request.getQueryString());
        String target = request.getMethod() + " " + path;
        String mesh = needed.mesh() == null || needed.mesh().equals("*") ? null : needed.mesh();
        if (principal.isEmpty()) {
            events.refused(claimed, SecurityEvents.AUTHENTICATION_FAILED, mesh, target, (authorization == null
                    ? "no credentials" : claimed.startsWith("access key") ? "the signature does not match, or the key is unknown,"
                    + " expired or revoked" : "unknown, expired or revoked token") + " from " + request.getRemoteAddr());
            write(response, 401, "UnauthorizedException", authorization == null
                    ? "authentication required: send Authorization: Bearer <token>, or sign with a Meshplane access key (SigV4)"
                    : "the credentials are not valid (unknown, expired or revoked, or the signature does not match)");
            return;
        }
        if (!principal.get().may(needed.role(), needed.mesh())) {
            String message = principal.get().name() + " (" + principal.get().role().name()
                    .toLowerCase() + " on " + String.join(",", principal.get().meshes()) + ") may not " + request.getMethod()
                    + " " + path + ": it needs " + needed.role().name().toLowerCase()
                    + (needed.mesh() == null ? "" : " on mesh '" + needed.mesh() + "'");
            events.refused(principal.get().actor(), SecurityEvents.ACCESS_DENIED, mesh, target, message);
            write(response, 403, ErrorCode.FORBIDDEN.type(), message);
            return;
        }
        serveAs(principal.get(), forward, response, chain);
    }

    private static void serveAs(Principal principal, HttpServletRequest request, HttpServletResponse response,
            FilterChain chain) throws ServletException, IOException {
        CurrentPrincipal.set(principal);
        try {
            chain.doFilter(request, response);
        } finally {
            CurrentPrincipal.clear();
        }
    }

    /** The request as SigV4 signs it; its host as signers sign it (without a default port). */
    private static SigV4.Request signedRequest(BufferedRequest request) {
        return new SigV4.Request(request.getMethod(), request.getRequestURI(), request.getQueryString(),
                name -> name.equals("host") ? SigV4.host(request.getHeader("host")) : header(request, name), request.body);
    }

    /** The REST path of a proxy node's certificate, from its node id. */
    private static String certificatePath(String nodeId) {
        return "/v1/meshes/" + nodeId.replaceFirst("^mesh/", "").replace("/virtualNode/", "/virtualNodes/") + "/certificate";
    }

    private static String header(HttpServletRequest request, String name) {
        var values = Collections.list(request.getHeaders(name));
        return values.isEmpty() ? null : String.join(",", values);
    }

    static boolean open(String path) {
        return path.startsWith("/actuator/health") || path.equals("/actuator/prometheus") || path.equals("/actuator/info")
                || path.startsWith("/v3/api-docs") || path.startsWith("/swagger-ui") || path.equals("/error")
                || path.equals("/v1/xds/ca"); // a CA certificate: public by nature
    }

    /** The role a call needs, and on which mesh (null: any mesh, or {@code *} for global operations). */
    record Requirement(Principal.Role role, String mesh) {
    }

    static Requirement requirement(String method, String path, String query) {
        boolean read = method.equals("GET") || method.equals("HEAD");
        Matcher mesh = MESH_PATH.matcher(path);
        if (mesh.matches()) {
            String name = URLDecoder.decode(mesh.group(1), StandardCharsets.UTF_8);
            String rest = mesh.group(2) == null ? "" : mesh.group(2);
            if (read && rest.endsWith("/certificate")) {
                return new Requirement(Principal.Role.ADMIN, name); // a private key: the node's own token, or an admin
            }
            if (read) {
                return new Requirement(Principal.Role.VIEWER, name);
            }
            boolean security = path.startsWith("/v1/") || rest.isEmpty(); // mTLS, CA, policies, tokens; the mesh itself
            return new Requirement(security ? Principal.Role.ADMIN : Principal.Role.EDITOR, name);
        }
        if (path.equals("/v20190125/meshes")) {
            return read ? new Requirement(Principal.Role.VIEWER, null) : new Requirement(Principal.Role.ADMIN, "*");
        }
        if (path.startsWith("/v20190125/tag") || path.startsWith("/v20190125/untag")) {
            String arn = query == null ? "" : URLDecoder.decode(query, StandardCharsets.UTF_8);
            Matcher m = ARN_MESH.matcher(arn);
            String target = m.find() ? m.group(1) : "*";
            return new Requirement(read ? Principal.Role.VIEWER : Principal.Role.EDITOR, target);
        }
        if (path.startsWith("/v1/registry") || path.startsWith("/v1/proxies")) {
            return new Requirement(read ? Principal.Role.VIEWER : Principal.Role.EDITOR, null);
        }
        return new Requirement(Principal.Role.ADMIN, "*"); // credentials, the audit log, anything else
    }

    private static void write(HttpServletResponse response, int status, String type, String message) throws IOException {
        response.setStatus(status);
        response.setHeader(AppMeshErrorHandler.ERROR_TYPE_HEADER, type);
        response.setContentType("application/json");
        response.getOutputStream().write(JsonMapper.builder().build().writeValueAsBytes(java.util.Map.of("message", message)));
    }

    /** The request with its body read once, so that the signature can cover it and the controller still read it. */
    private static final class BufferedRequest extends HttpServletRequestWrapper {
        final byte[] body;

        BufferedRequest(HttpServletRequest request) throws IOException {
            super(request);
            this.body = request.getInputStream().readAllBytes();
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }
    }
}
