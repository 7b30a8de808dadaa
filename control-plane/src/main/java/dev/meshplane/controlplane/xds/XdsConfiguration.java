package dev.meshplane.controlplane.xds;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The xDS cache and the stream tracker, shared by the server, the publisher and the status API. */
@Configuration(proxyBeanMethods = false)
class XdsConfiguration {

    @Bean
    ProxyCache proxyCache() {
        return new ProxyCache();
    }

    @Bean
    ProxyStatusTracker proxyStatusTracker(ProxyCache cache, PublisherMetrics metrics,
            dev.meshplane.controlplane.security.CertificateAuthority authority,
            dev.meshplane.controlplane.appmesh.AppMeshProperties appMesh) {
        return new ProxyStatusTracker(cache, metrics, authority, appMesh);
    }
}
