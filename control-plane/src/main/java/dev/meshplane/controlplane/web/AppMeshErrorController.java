package dev.meshplane.controlplane.web;

import dev.meshplane.api.error.ErrorCode;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised before a controller runs (by the servlet container, or a filter such as
 * authentication) also get App Mesh's error shape; one caused by the database's absence is the same
 * 503 with Retry-After as a controller's.
 */
@Hidden
@RestController
class AppMeshErrorController implements ErrorController {

    private final AppMeshErrorHandler handler;

    AppMeshErrorController(AppMeshErrorHandler handler) {
        this.handler = handler;
    }

    @RequestMapping("/error")
    @PreAuthorize("permitAll()")
    ResponseEntity<Map<String, String>> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (status == null) {
            // called directly, not forwarded by the container: there is no error to report
            return AppMeshErrorHandler.error(ErrorCode.NOT_FOUND, "no operation at " + request.getMethod() + " /error");
        }
        int code = status instanceof Integer i ? i : 500;
        if (code >= 500 && request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure) {
            Optional<ResponseEntity<Map<String, String>>> unavailable = handler.databaseUnavailable(failure);
            if (unavailable.isPresent()) {
                return unavailable.get();
            }
        }
        if (code >= 500) {
            return AppMeshErrorHandler.error(ErrorCode.INTERNAL_SERVER_ERROR, "internal error");
        }
        String type = code == 404 ? ErrorCode.NOT_FOUND.type() : ErrorCode.BAD_REQUEST.type();
        return AppMeshErrorHandler.error(code, type, "the request could not be processed (HTTP " + code + ")");
    }
}
