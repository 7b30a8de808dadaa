package dev.meshplane.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The embedded PostgreSQL's superuser password: 32 random bytes (base64url) generated on first start
 * into {@code <data-dir>.password} beside the data directory (for the default data directory,
 * {@code meshplane-data/postgres.password}), readable by this server's OS user only (0600), and kept
 * across restarts like the key-encryption key. Without it, any OS user of the host could connect to
 * the database as superuser over loopback TCP.
 *
 * @param file  where the password is kept
 * @param value the password
 */
public record EmbeddedPassword(Path file, String value) {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** The rules written into {@code pg_hba.conf}: passwords (SCRAM) everywhere, no {@code trust}. */
    static final List<String> HOST_RULES = List.of(
            "# Written by Meshplane: the postgres role logs in with the password kept beside the data directory",
            "local all all scram-sha-256",
            "host all all 127.0.0.1/32 scram-sha-256",
            "host all all ::1/128 scram-sha-256");

    /**
     * Reads the password kept for this data directory, generating and writing it (0600) the first time.
     *
     * @param dataDir the absolute data directory of the embedded cluster
     * @throws IOException when the file cannot be read or created
     * @throws IllegalStateException when the file exists but others may read it, or is empty
     */
    public static EmbeddedPassword forDataDirectory(Path dataDir) throws IOException {
        Path file = dataDir.resolveSibling(dataDir.getFileName() + ".password");
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(file, generated + "\n", StandardCharsets.US_ASCII);
            } catch (FileAlreadyExistsException raced) {
                // another start created it meanwhile: use theirs
            }
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(permissions)) {
            throw new IllegalStateException(file + " holds the embedded database's password and must be readable by"
                    + " its owner only (chmod 600 " + file + "); it is " + PosixFilePermissions.toString(permissions));
        }
        String value = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (value.isEmpty()) {
            throw new IllegalStateException(file + " is empty; delete it only together with the data directory "
                    + dataDir + ", or write the postgres role's password into it");
        }
        return new EmbeddedPassword(file, value);
    }

    /** Does this cluster's {@code pg_hba.conf} let some connection in without a password? */
    static boolean trustsConnections(Path dataDir) throws IOException {
        Path hba = dataDir.resolve("pg_hba.conf");
        return Files.exists(hba) && Files.readAllLines(hba).stream().map(String::strip)
                .filter(line -> !line.startsWith("#")).anyMatch(line -> line.matches(".*\\btrust\\b.*"));
    }

    /** Replaces {@code pg_hba.conf} with {@link #HOST_RULES}. */
    static void writeHostRules(Path dataDir) {
        try {
            Files.write(dataDir.resolve("pg_hba.conf"), HOST_RULES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Secures a running cluster that was initialised with {@code trust}: sets this password on the
     * {@code postgres} role, then writes {@link #HOST_RULES} and reloads the configuration.
     *
     * @throws IllegalStateException when the statements fail
     */
    void secure(EmbeddedPostgres postgres) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            // base64url: no quote can end the literal
            statement.execute("ALTER ROLE postgres PASSWORD '" + value + "'");
            writeHostRules(dataDirOf(connection));
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("could not set the embedded database's password", e);
        }
    }

    private static Path dataDirOf(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                var result = statement.executeQuery("SHOW data_directory")) {
            result.next();
            return Path.of(result.getString(1));
        }
    }
}
