package dev.meshplane.controlplane.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Authentication of API callers and proxies.
 *
 * @param authentication      {@code enabled} or {@code disabled} (development mode). Unset: disabled with the
 *                            embedded database (the quickstart), enabled with an external one
 * @param bootstrapAdminToken a bearer token that is admin on every mesh, to issue the first credentials
 *                            (keep it in a secret; rotate it by changing the setting)
 */
@ConfigurationProperties("meshplane.security")
public record AuthProperties(String authentication, String bootstrapAdminToken) {
}
