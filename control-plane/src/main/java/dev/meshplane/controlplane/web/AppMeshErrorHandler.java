package dev.meshplane.controlplane.web;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.error.ErrorCode;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * Every error in App Mesh's restJson1 shape: the model's HTTP status, an {@code x-amzn-ErrorType}
 * header naming the error, and a {@code {"message": "..."}} body. No stack trace ever leaves.
 */
@RestControllerAdvice
public class AppMeshErrorHandler {

    public static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";

    /** What a 503 asks clients to wait before retrying (the AWS SDKs retry 503s by themselves). */
    static final int RETRY_AFTER_SECONDS = 5;

    private static final Logger log = LoggerFactory.getLogger(AppMeshErrorHandler.class);

    private final DatabaseUnavailable database;
    private final DatabaseAvailability availability;

    public AppMeshErrorHandler(DatabaseUnavailable database, DatabaseAvailability availability) {
        this.database = database;
        this.availability = availability;
    }

    public static ResponseEntity<Map<String, String>> error(ErrorCode code, String message) {
        return error(code.httpStatus(), code.type(), message);
    }

    static ResponseEntity<Map<String, String>> error(int status, String type, String message) {
        return ResponseEntity.status(status)
                .header(ERROR_TYPE_HEADER, type)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("message", message));
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Map<String, String>> api(ApiException e) {
        return error(e.code(), e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RequestSizeFilter.BodyTooLargeException tooLarge) {
                return error(ErrorCode.PAYLOAD_TOO_LARGE, tooLarge.getMessage());
            }
        }
        return error(ErrorCode.BAD_REQUEST, "the request body could not be read");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, String>> typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName().toLowerCase();
        return error(ErrorCode.BAD_REQUEST, e.getName() + ": '" + e.getValue() + "' is not a valid " + expected);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Map<String, String>> missingParameter(MissingServletRequestParameterException e) {
        return error(ErrorCode.BAD_REQUEST, e.getParameterName() + ": is required");
    }

    @ExceptionHandler(ServletRequestBindingException.class)
    ResponseEntity<Map<String, String>> binding(ServletRequestBindingException e) {
        return error(ErrorCode.BAD_REQUEST, e.getBody().getDetail() == null ? "bad request" : e.getBody().getDetail());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Map<String, String>> method(HttpRequestMethodNotSupportedException e) {
        ResponseEntity<Map<String, String>> response = error(405, ErrorCode.BAD_REQUEST.type(),
                "method " + e.getMethod() + " is not supported here; supported: " + e.getSupportedHttpMethods());
        return ResponseEntity.status(405).headers(response.getHeaders())
                .header(HttpHeaders.ALLOW, String.valueOf(e.getSupportedHttpMethods()).replaceAll("[\\[\\]]", ""))
                .body(response.getBody());
    }

    @ExceptionHandler(HttpMediaTypeException.class)
    ResponseEntity<Map<String, String>> mediaType(HttpMediaTypeException e) {
        return error(e.getStatusCode().value(), ErrorCode.BAD_REQUEST.type(), e.getBody().getDetail());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Map<String, String>> noResource(NoResourceFoundException e) {
        return error(ErrorCode.NOT_FOUND, "no operation at " + e.getHttpMethod() + " /" + e.getResourcePath());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, String>> unexpected(Exception e) {
        return databaseUnavailable(e).orElseGet(() -> {
            String incident = UUID.randomUUID().toString();
            log.error("Unexpected error, incident {}", incident, e);
            return error(ErrorCode.INTERNAL_SERVER_ERROR, "internal error; the server log has incident " + incident);
        });
    }

    /**
     * The 503 ServiceUnavailableException with Retry-After when the database's absence explains
     * {@code e} (and the database is then marked away), else empty.
     */
    Optional<ResponseEntity<Map<String, String>>> databaseUnavailable(Throwable e) {
        if (!database.explains(e)) {
            return Optional.empty();
        }
        // the first to see the outage marks it, so the requests after it are refused at once
        if (!availability.lost(e)) {
            log.debug("Database unavailable: {}", e.toString());
        }
        ResponseEntity<Map<String, String>> response = error(ErrorCode.SERVICE_UNAVAILABLE,
                "the database is unavailable; nothing was changed. Retry after " + RETRY_AFTER_SECONDS + " seconds");
        return Optional.of(ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS)).body(response.getBody()));
    }
}
