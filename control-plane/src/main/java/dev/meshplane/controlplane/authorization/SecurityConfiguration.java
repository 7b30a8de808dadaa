package dev.meshplane.controlplane.authorization;

import dev.meshplane.api.error.ErrorCode;
import dev.meshplane.controlplane.auth.AuthenticationFilter;
import dev.meshplane.controlplane.auth.Authenticator;
import dev.meshplane.controlplane.auth.SecurityEvents;
import dev.meshplane.controlplane.web.AppMeshErrorHandler;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.security.access.PermissionEvaluator;
import org.springframework.security.access.expression.method.DefaultMethodSecurityExpressionHandler;
import org.springframework.security.access.expression.method.MethodSecurityExpressionHandler;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spring Security as Meshplane uses it: stateless, no login page, no session cookie, no CSRF (the
 * API takes no cookies), {@link AuthenticationFilter} to authenticate, and authorization decided by
 * {@code @PreAuthorize} on every handler through {@link MeshPermissionEvaluator}. The only rule in
 * the filter chain is the actuator's: Prometheus metrics name every mesh, so scraping them needs
 * viewer on every mesh ({@code *}); health and info stay open; any other endpoint (the links page,
 * or one exposed later) needs admin on every mesh.
 */
@Configuration
@EnableMethodSecurity
class SecurityConfiguration {

    @Bean
    SecurityFilterChain api(HttpSecurity http, Authenticator authenticator, SecurityEvents events,
            MeshPermissionEvaluator evaluator, RefusalHandler refusals) throws Exception {
        AuthorizationManager<RequestAuthorizationContext> metrics = (authentication, context) ->
                new AuthorizationDecision(evaluator.hasPermission(authentication.get(), null, "allMeshes", "viewer"));
        AuthorizationManager<RequestAuthorizationContext> otherEndpoints = (authentication, context) ->
                new AuthorizationDecision(evaluator.hasPermission(authentication.get(), null, "allMeshes", "admin"));
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .headers(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new AuthenticationFilter(authenticator, events), AuthorizationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to("prometheus")).access(metrics)
                        .requestMatchers(EndpointRequest.to("health", "info")).permitAll()
                        .requestMatchers(EndpointRequest.toAnyEndpoint()).access(otherEndpoints)
                        // every handler carries its own rule (@PreAuthorize); PermissionMatrixTest fails one without
                        .anyRequest().permitAll())
                .exceptionHandling(errors -> errors.accessDeniedHandler(refusals))
                .build();
    }

    /** Method security decides with the one evaluator; lazy, so the stores behind it are built as usual. */
    @Bean
    static MethodSecurityExpressionHandler methodSecurityExpressionHandler(@Lazy PermissionEvaluator evaluator) {
        DefaultMethodSecurityExpressionHandler handler = new DefaultMethodSecurityExpressionHandler();
        handler.setPermissionEvaluator(evaluator);
        return handler;
    }

    /**
     * A {@code ;} (raw or encoded) is refused, as the firewall does by default: Spring MVC drops a path
     * parameter ({@code ;x}) before it routes, so {@code DELETE .../meshes/prod;staging} acted on mesh
     * {@code prod}, and no name holds a {@code ;} ({@code ResourceService.checkName}). Encoded line feeds and carriage
     * returns are let through to the check every path variable gets ({@code UrlTextRules}), which
     * refuses every control character with a 400 naming the variable. Encoded U+2028 and U+2029 are let
     * through too: a name may hold them (they are not control characters, and App Mesh's names have no
     * pattern), so refusing them here left such a resource impossible to describe or delete. The
     * firewall's other refusals stay.
     */
    @Bean
    HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowUrlEncodedLineFeed(true);
        firewall.setAllowUrlEncodedCarriageReturn(true);
        firewall.setAllowUrlEncodedLineSeparator(true);
        firewall.setAllowUrlEncodedParagraphSeparator(true);
        return firewall;
    }

    /** A request the firewall refuses (an encoded slash, {@code ..}, a control character) gets a 400 in App Mesh's shape. */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        JsonMapper json = JsonMapper.builder().build();
        return (request, response, rejected) -> {
            response.setStatus(400);
            response.setHeader(AppMeshErrorHandler.ERROR_TYPE_HEADER, ErrorCode.BAD_REQUEST.type());
            response.setContentType("application/json");
            response.getOutputStream().write(json.writeValueAsBytes(java.util.Map.of("message",
                    "the request path is refused: " + rejected.getMessage())));
        };
    }
}
