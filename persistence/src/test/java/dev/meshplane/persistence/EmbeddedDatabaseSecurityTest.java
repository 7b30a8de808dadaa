package dev.meshplane.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL is safe on a shared host: another OS user can neither log in over loopback
 * TCP (a password is required, and it is in a file only the server's user may read) nor open the Unix
 * socket; a cluster initialised by an earlier version with {@code trust} is secured on its next start.
 */
class EmbeddedDatabaseSecurityTest {

    @TempDir
    Path work;

    private EmbeddedPostgres start(Path dataDir) throws Exception {
        EmbeddedDatabaseConfiguration configuration = new EmbeddedDatabaseConfiguration();
        EmbeddedDatabaseProperties properties = new EmbeddedDatabaseProperties(dataDir, 0);
        return configuration.embeddedPostgres(properties, configuration.embeddedPassword(properties));
    }

    private static Connection connect(EmbeddedPostgres postgres, String password) throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", "postgres");
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", properties);
    }

    @Test
    void aFreshClusterAcceptsOnlyThePasswordOnlyItsOwnerCanRead() throws Exception {
        Path dataDir = work.resolve("postgres");
        try (EmbeddedPostgres postgres = start(dataDir)) {
            Path file = work.resolve("postgres.password");
            String password = Files.readString(file).strip();
            assertThat(password).hasSizeGreaterThanOrEqualTo(43); // 32 random bytes, base64url
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
            assertThatThrownBy(() -> connect(postgres, null)).as("no password: what any local user can try")
                    .isInstanceOf(SQLException.class).hasMessageContaining("password");
            assertThatThrownBy(() -> connect(postgres, "postgres")).as("a guess")
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            try (Connection connection = connect(postgres, password); Statement statement = connection.createStatement();
                    ResultSet rules = statement.executeQuery("SELECT auth_method FROM pg_hba_file_rules")) {
                while (rules.next()) {
                    assertThat(rules.getString(1)).as("pg_hba.conf rule").isEqualTo("scram-sha-256");
                }
            }
        }
    }

    @Test
    void anotherOsUserCanReadNeitherThePasswordNorTheSocket() throws Exception {
        // acting as a second OS user takes root (CI and this project's machines run the suite as root)
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root and setpriv to act as the second OS user 'nobody'");
        Path dataDir = work.resolve("postgres");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x")); // a shared parent folder
        try (EmbeddedPostgres postgres = start(dataDir)) {
            Path socket = dataDir.resolve(".s.PGSQL." + postgres.getPort());
            assertThat(socket).as("the Unix socket").exists();
            Process cat = asNobody("cat", work.resolve("postgres.password").toString());
            assertThat(cat.exitValue()).as("nobody reads the password file: " + output(cat)).isNotZero();
            Process open = asNobody("python3", "-c", "import socket; s = socket.socket(socket.AF_UNIX);"
                    + " s.connect('" + socket + "'); print('connected')");
            assertThat(output(open)).as("nobody opens the socket").doesNotContain("connected").contains("Permission denied");
            assertThat(open.exitValue()).isNotZero();
        }
    }

    private static Process asNobody(String... command) throws Exception {
        List<String> line = new java.util.ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", "--"));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process;
    }

    private static String output(Process process) throws Exception {
        return new String(process.getInputStream().readAllBytes());
    }

    @Test
    void aClusterThatTrustedEveryLocalConnectionIsSecuredOnItsNextStartWithItsDataKept() throws Exception {
        Path dataDir = work.resolve("postgres");
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false)
                .start(); Connection connection = old.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (value text)");
            statement.execute("INSERT INTO kept VALUES ('still here')");
            assertThat(EmbeddedPassword.trustsConnections(dataDir)).as("how earlier versions left it").isTrue();
        }
        try (EmbeddedPostgres postgres = start(dataDir)) {
            assertThat(EmbeddedPassword.trustsConnections(dataDir)).isFalse();
            assertThatThrownBy(() -> connect(postgres, null)).isInstanceOf(SQLException.class);
            String password = Files.readString(work.resolve("postgres.password")).strip();
            try (Connection connection = connect(postgres, password); Statement statement = connection.createStatement();
                    ResultSet kept = statement.executeQuery("SELECT value FROM kept")) {
                assertThat(kept.next()).isTrue();
                assertThat(kept.getString(1)).isEqualTo("still here");
            }
        }
        try (EmbeddedPostgres again = start(dataDir)) {
            String password = Files.readString(work.resolve("postgres.password")).strip();
            try (Connection connection = connect(again, password)) {
                assertThat(connection.isValid(2)).as("the next start uses the kept password").isTrue();
            }
        }
    }
}
