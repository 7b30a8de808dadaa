package dev.meshplane.controlplane.web;

import dev.meshplane.api.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Errors Tomcat answers by itself, before any servlet runs (an encoded NUL in the path, a request
 * line it cannot parse, a request line and headers over its size limit), written in App Mesh's shape like every other error: the status,
 * {@code x-amzn-ErrorType} and {@code {"message": ...}}, instead of Tomcat's HTML page. Installed
 * on the host by {@link TomcatErrors}.
 */
final class AppMeshErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // as Tomcat's own valve: only an error no one has written a body for yet, and only once
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        ErrorCode code = status >= 500 ? ErrorCode.INTERNAL_SERVER_ERROR
                : status == 404 ? ErrorCode.NOT_FOUND : ErrorCode.BAD_REQUEST;
        String message = status >= 500 ? "internal error" : unreadable(request, throwable);
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setHeader(AppMeshErrorHandler.ERROR_TYPE_HEADER, code.type());
            response.getWriter().write("{\"message\":\"" + message + "\"}");
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client is gone, or the response was committed meanwhile: there is no one left to tell
        }
    }

    /**
     * Why Tomcat could not read the request: its request line and headers over the connector's
     * {@code maxHttpRequestHeaderSize} (Tomcat's Http11InputBuffer: "Request header is too large"),
     * or a path or request line it refuses.
     */
    private static String unreadable(Request request, Throwable throwable) {
        for (Throwable t = throwable; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("too large")) {
                Object limit = request.getConnector() == null ? null
                        : request.getConnector().getProperty("maxHttpRequestHeaderSize");
                return "the request cannot be read: its request line and headers are larger than the "
                        + (limit == null ? "server's limit" : limit + " bytes the server reads")
                        + " (server.max-http-request-header-size)";
            }
        }
        return "the request cannot be read: its path or request line holds an encoded NUL, a malformed escape or a"
                + " character HTTP does not allow";
    }
}
