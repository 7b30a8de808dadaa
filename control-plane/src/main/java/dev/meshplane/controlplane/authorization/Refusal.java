package dev.meshplane.controlplane.authorization;

import org.springframework.security.access.AccessDeniedException;

/**
 * A call refused by an authorization rule: 401 {@code UnauthorizedException} for a caller without
 * valid credentials, 403 {@code ForbiddenException} for one without the role. Carries what the
 * audit row needs: who, which action ({@code AuthenticationFailed} or {@code AccessDenied}), the
 * mesh the call was about (only one the caller named itself) and why.
 */
public final class Refusal extends AccessDeniedException {

    private final int status;
    private final String errorType;
    private final String actor;
    private final String action;
    private final String mesh;
    private final String detail;

    Refusal(int status, String errorType, String message, String actor, String action, String mesh, String detail) {
        super(message);
        this.status = status;
        this.errorType = errorType;
        this.actor = actor;
        this.action = action;
        this.mesh = mesh;
        this.detail = detail;
    }

    int status() {
        return status;
    }

    String errorType() {
        return errorType;
    }

    String actor() {
        return actor;
    }

    String action() {
        return action;
    }

    String mesh() {
        return mesh;
    }

    String detail() {
        return detail;
    }
}
