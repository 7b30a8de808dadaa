package dev.meshplane.controlplane.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication of API callers and proxies.
 *
 * @param authentication      {@code enabled} or {@code disabled} (development mode). Unset: disabled with the
 *                            embedded database (the quickstart), enabled with an external one
 * @param bootstrapAdminToken a bearer token that is admin on every mesh, to issue the first credentials
 *                            (keep it in a secret; rotate it by changing the setting)
 * @param proxyTokenLifetime  how long a proxy token lives when its issuer does not say
 */
@ConfigurationProperties("meshplane.security")
public record AuthProperties(String authentication, String bootstrapAdminToken,
        @DefaultValue("365d") Duration proxyTokenLifetime) {

    public AuthProperties {
        if (proxyTokenLifetime.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("meshplane.security.proxy-token-lifetime must be at least a minute, got "
                    + proxyTokenLifetime);
        }
    }
}
