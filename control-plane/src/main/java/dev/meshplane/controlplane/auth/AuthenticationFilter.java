package dev.meshplane.controlplane.auth;

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
import java.util.Collections;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

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
    private final SecurityEvents events;

    /** Checks credentials with this authenticator; a signature it cannot read is answered at once, and audited to events. */
    public AuthenticationFilter(Authenticator authenticator, SecurityEvents events) {
        this.authenticator = authenticator;
        this.events = events;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!authenticator.enabled()) {
            serveAs(CallerAuthentication.of(Principal.DEVELOPMENT), request, response, chain);
            return;
        }
        if (Collections.list(request.getHeaders("Authorization")).size() > 1) {
            // which one would count is a parser's choice: a caller sends one credential
            write(response, 400, "BadRequestException", "Authorization: send one header, not several");
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
                // a proxy token: role proxy, bound to its node; the handlers' rules let it read that node's certificate only
                principal = authenticator.proxyToken(token).map(Authenticator::principal);
            }
        } else if (authorization != null && authorization.startsWith(SigV4.ALGORITHM)) {
            BufferedRequest buffered = new BufferedRequest(request);
            forward = buffered;
            try {
                Authenticator.AccessKey key = authenticator.signed(authorization, signedRequest(buffered));
                claimed = "access key " + key.credential().id();
                principal = Optional.of(key.principal());
            } catch (SigV4.Rejected rejected) {
                claimed = rejected.accessKeyId() == null ? "anonymous" : "access key " + rejected.accessKeyId();
                if (rejected.failure() != SigV4.Failure.MISMATCH) {
                    // answered here, as AWS answers it: no operation's rule can judge a signature it cannot read
                    events.refused(claimed, SecurityEvents.AUTHENTICATION_FAILED, null,
                            request.getMethod() + " " + request.getRequestURI(),
                            rejected.getMessage() + " from " + request.getRemoteAddr());
                    boolean malformed = rejected.failure() == SigV4.Failure.MALFORMED;
                    write(response, malformed ? 400 : 403, malformed ? "IncompleteSignatureException"
                            : "InvalidSignatureException", rejected.getMessage());
                    return;
                }
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

    private static SigV4.Request signedRequest(BufferedRequest request) {
        return new SigV4.Request(request.getMethod(), request.getRequestURI(), request.getQueryString(),
                name -> name.equals("host") ? SigV4.host(request.getHeader("host")) : header(request, name), request.body);
    }

    private static void write(HttpServletResponse response, int status, String type, String message) throws IOException {
        response.setStatus(status);
        response.setHeader(AppMeshErrorHandler.ERROR_TYPE_HEADER, type);
        response.setContentType("application/json");
        response.getOutputStream().write(JsonMapper.builder().build().writeValueAsBytes(java.util.Map.of("message", message)));
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
