package dev.meshplane.controlplane.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web console at {@code /ui/}: its page and bundle are static resources of the
 * {@code meshplane-console} jar ({@code META-INF/resources/ui}), which Spring serves as it serves
 * Swagger UI's, open to anyone: they hold no data. Every call the page makes for data carries the
 * user's bearer token and is decided by that handler's own {@code @PreAuthorize} rule. Here only the
 * two entry points: {@code /ui} redirects to {@code /ui/} (302), and {@code /ui/} is the page; and the
 * headers of everything under {@code /ui}, {@link #HEADERS_POLICY}.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration implements WebMvcConfigurer {

    /**
     * What a browser may do with the console, given the token it holds: run and load only this server's own script,
     * styles and calls (no inline script, no other origin), never be framed by another page (a click on a framed
     * console would be the signed-in user's), and never guess a file's type from its content.
     */
    static final String HEADERS_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/ui", "/ui/");
        registry.addViewController("/ui/").setViewName("forward:/ui/index.html");
    }

    /** The console's page and bundle with {@link #HEADERS_POLICY} as a Content-Security-Policy, nosniff and no framing. */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> consoleHeaders() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                response.setHeader("Content-Security-Policy", HEADERS_POLICY);
                response.setHeader("X-Content-Type-Options", "nosniff");
                response.setHeader("X-Frame-Options", "DENY");
                response.setHeader("Referrer-Policy", "no-referrer");
                chain.doFilter(request, response);
            }
        });
        registration.addUrlPatterns("/ui", "/ui/*");
        return registration;
    }
}
