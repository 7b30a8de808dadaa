package dev.meshplane.controlplane.web;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.validation.TextRules;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * {@link TextRules} for what a URL carries: every resolved path variable (the decoded value the
 * handler receives) and every query parameter, before any handler runs. A control character gets a
 * 400 BadRequestException naming the variable, e.g. {@code meshName: must not contain control
 * characters (U+0001 at index 1)}, instead of a 500 from PostgreSQL or a forged log line. On the
 * App Mesh API, a query parameter given twice is a 400 too: each of App Mesh's is one value.
 */
@Configuration(proxyBeanMethods = false)
class UrlTextRules implements WebMvcConfigurer, HandlerInterceptor {

    private static final String APP_MESH_PATH = "/v20190125/";

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables) {
            variables.forEach((name, value) -> TextRules.checkParameter(String.valueOf(name), String.valueOf(value)));
        }
        // the query string only: getParameterMap() would read a form-typed body, which is JSON here (curl -d)
        String query = request.getQueryString();
        if (query != null) {
            boolean appMesh = request.getRequestURI().startsWith(APP_MESH_PATH);
            UriComponentsBuilder.newInstance().query(query).build().getQueryParams().forEach((name, values) -> {
                TextRules.checkParameter("query parameter name", UriUtils.decode(name, StandardCharsets.UTF_8));
                if (appMesh && values.size() > 1) {
                    // Spring would join the values with ',' into one (a resourceArn naming mesh 'a,b'), or take the first
                    throw ApiException.badRequest(UriUtils.decode(name, StandardCharsets.UTF_8) + ": given " + values.size()
                            + " times; App Mesh's query parameters (limit, nextToken, meshOwner, resourceArn) are given once");
                }
                for (String value : values) {
                    TextRules.checkParameter(name, value == null ? null : UriUtils.decode(value, StandardCharsets.UTF_8));
                }
            });
        }
        return true;
    }
}
