package dev.meshplane.controlplane.web;

import dev.meshplane.api.json.AppMeshJson;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Responses are written exactly as App Mesh writes them (absent members omitted, epoch-second timestamps). */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

    @Bean
    JsonMapperBuilderCustomizer appMeshJson() {
        return AppMeshJson::configure;
    }
}
