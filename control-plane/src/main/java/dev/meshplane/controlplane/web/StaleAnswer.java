package dev.meshplane.controlplane.web;

import java.time.Duration;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Marks a response answered from this replica's memory while the database is away: the header
 * {@value #HEADER} carries how many seconds the database has been away (how old the answer may be).
 */
@ControllerAdvice
public class StaleAnswer implements ResponseBodyAdvice<Object> {

    /** The response header of an answer from memory (Meshplane's extension; documented in docs/operations.md). */
    public static final String HEADER = "x-meshplane-stale";

    private static final String ATTRIBUTE = StaleAnswer.class.getName();

    /** Notes, for the response of the request being handled on this thread, that it comes from memory {@code age} old. */
    public static void mark(Duration age) {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request != null) {
            request.setAttribute(ATTRIBUTE, age, RequestAttributes.SCOPE_REQUEST);
        }
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
            Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request, ServerHttpResponse response) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes != null && attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST) instanceof Duration age) {
            response.getHeaders().set(HEADER, Long.toString(age.toSeconds()));
        }
        return body;
    }
}
