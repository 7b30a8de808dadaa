package dev.meshplane.controlplane.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web console at {@code /ui/}: its page and bundle are static resources of the
 * {@code meshplane-console} jar ({@code META-INF/resources/ui}), which Spring serves as it serves
 * Swagger UI's, open to anyone: they hold no data. Every call the page makes for data carries the
 * user's bearer token and is decided by that handler's own {@code @PreAuthorize} rule. Here only the
 * two entry points: {@code /ui} redirects to {@code /ui/} (302), and {@code /ui/} is the page.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/ui", "/ui/");
        registry.addViewController("/ui/").setViewName("forward:/ui/index.html");
    }
}
