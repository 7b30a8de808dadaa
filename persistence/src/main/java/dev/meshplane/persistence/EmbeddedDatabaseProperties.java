package dev.meshplane.persistence;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL used when no {@code spring.datasource.url} is configured.
 *
 * @param dataDir where PostgreSQL keeps its files; kept across restarts
 * @param port    TCP port on the loopback interface; 0 picks a free one
 */
@ConfigurationProperties("meshplane.database.embedded")
public record EmbeddedDatabaseProperties(
        @DefaultValue("meshplane-data/postgres") Path dataDir,
        @DefaultValue("0") int port) {
}
