package dev.meshplane.controlplane.authorization;

import dev.meshplane.controlplane.auth.SecurityEvents;
import dev.meshplane.controlplane.web.AppMeshErrorHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a refusal into App Mesh's error shape (status, {@code x-amzn-ErrorType}, {"message"}) and
 * one audit row, whether a handler's rule refused it (as an exception from method security) or a
 * rule of the filter chain did (the actuator's metrics endpoint).
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class RefusalHandler implements AccessDeniedHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SecurityEvents events;

    RefusalHandler(SecurityEvents events) {
        this.events = events;
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Map<String, String>> refused(AccessDeniedException e) {
        Refusal refusal = refusal(e);
        events.refused(refusal.actor(), refusal.action(), refusal.mesh(), MeshPermissionEvaluator.call(), refusal.detail());
        return ResponseEntity.status(refusal.status()).header(AppMeshErrorHandler.ERROR_TYPE_HEADER, refusal.errorType())
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("message", refusal.getMessage()));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        ResponseEntity<Map<String, String>> answer = refused(e);
        response.setStatus(answer.getStatusCode().value());
        answer.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        response.getOutputStream().write(JSON.writeValueAsBytes(answer.getBody()));
    }

    /** Our rules throw a {@link Refusal}; a bare denial (a rule that answered false) is read as one for this caller. */
    private static Refusal refusal(AccessDeniedException e) {
        if (e instanceof Refusal refusal) {
            return refusal;
        }
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            return MeshPermissionEvaluator.unauthenticated(authentication, null);
        }
        String message = authentication.getName() + " may not " + MeshPermissionEvaluator.call();
        return new Refusal(403, dev.meshplane.api.error.ErrorCode.FORBIDDEN.type(), message, authentication.getName(),
                SecurityEvents.ACCESS_DENIED, null, message);
    }
}
