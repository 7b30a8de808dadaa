package dev.meshplane.controlplane.web;

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
 * characters (U+0001 at index 1)}, instead of a 500 from PostgreSQL or a forged log line.
 */
@Configuration(proxyBeanMethods = false)
class UrlTextRules implements WebMvcConfigurer, HandlerInterceptor {

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
            UriComponentsBuilder.newInstance().query(query).build().getQueryParams().forEach((name, values) -> {
                TextRules.checkParameter("query parameter name", UriUtils.decode(name, StandardCharsets.UTF_8));
                for (String value : values) {
                    TextRules.checkParameter(name, value == null ? null : UriUtils.decode(value, StandardCharsets.UTF_8));
                }
            });
        }
        return true;
    }
}
