package dev.meshplane.controlplane.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * TLS on the REST port from Meshplane's own CA.
 *
 * @param builtIn with {@code server.ssl.bundle=meshplane-built-in}, the REST port presents a certificate
 *                from Meshplane's own CA ({@link BuiltInRestTls}, which is switched on by this same setting)
 */
@ConfigurationProperties("meshplane.rest.tls")
public record RestTlsProperties(@DefaultValue("false") boolean builtIn) {
}
