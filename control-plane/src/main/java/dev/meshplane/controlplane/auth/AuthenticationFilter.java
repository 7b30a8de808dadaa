package dev.meshplane.controlplane.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every API call (a bearer token, a proxy token, or an AWS SigV4 signature made with
 * a Meshplane-issued access key) and puts the outcome in Spring Security's context as a
 * {@link CallerAuthentication}: a principal, or why there is none. It decides nothing about what the
 * call may do: the rule on each handler does that, on the values the handler acts on
 * ({@code dev.meshplane.controlplane.authorization}). In development mode every call acts as admin.
 * Runs inside Spring Security's filter chain (not registered as a servlet filter of its own).
 */
public class AuthenticationFilter extends OncePerRequestFilter {

    private final Authenticator authenticator;

    /** Checks credentials with this authenticator. */
    public AuthenticationFilter(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!authenticator.enabled()) {
            serveAs(CallerAuthentication.of(Principal.DEVELOPMENT), request, response, chain);
            return;
        }
        String authorization = request.getHeader("Authorization");
        Optional<Principal> principal = Optional.empty();
        HttpServletRequest forward = request;
        String claimed = authorization == null ? "anonymous" : "bearer token";
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).strip();
            principal = authenticator.bearer(token);
            if (principal.isEmpty()) {
                // a proxy token: the handlers' rules let it read its own node's certificate, nothing else
                Optional<dev.meshplane.persistence.AuthStore.Credential> proxy = authenticator.proxyToken(token);
                if (proxy.isPresent()) {
                    serveAs(CallerAuthentication.proxy(new Principal(proxy.get().id(), proxy.get().name(),
                            Principal.Role.VIEWER, java.util.Set.of(proxy.get().meshes())), proxy.get().proxyNode()),
                            request, response, chain);
                    return;
                }
            }
        } else if (authorization != null && authorization.startsWith(SigV4.ALGORITHM)) {
            SigV4.Parsed parsed = SigV4.parse(authorization);
            if (parsed != null) {
                claimed = "access key " + parsed.accessKeyId();
                BufferedRequest buffered = new BufferedRequest(request);
                forward = buffered;
                principal = authenticator.accessKey(parsed.accessKeyId())
                        .filter(key -> SigV4.verify(parsed, key.secret(), request.getMethod(), request.getRequestURI(),
                                request.getQueryString(), name -> header(request, name), buffered.body, Instant.now()))
                        .map(Authenticator.AccessKey::principal);
            }
        }
        if (principal.isPresent()) {
            serveAs(CallerAuthentication.of(principal.get()), forward, response, chain);
            return;
        }
        // not refused here: the handler's rule refuses it (401), so open endpoints stay open and unknown paths stay 404
        serveAs(CallerAuthentication.unauthenticated(claimed, (authorization == null ? "no credentials"
                : claimed.startsWith("access key") ? "the signature does not match, or the key is unknown, expired or revoked,"
                : "unknown, expired or revoked token") + " from " + request.getRemoteAddr()), forward, response, chain);
    }

    /** Puts the caller into Spring Security's context for the handler's rule, and takes it out afterwards. */
    private static void serveAs(CallerAuthentication caller, HttpServletRequest request, HttpServletResponse response,
            FilterChain chain) throws ServletException, IOException {
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(caller);
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private static String header(HttpServletRequest request, String name) {
        var values = Collections.list(request.getHeaders(name));
        return values.isEmpty() ? null : String.join(",", values);
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
