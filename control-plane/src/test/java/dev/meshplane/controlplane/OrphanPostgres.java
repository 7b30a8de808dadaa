package dev.meshplane.controlplane;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link RestartTest}: starts PostgreSQL on a data directory and waits to be
 * killed with SIGKILL, which leaves that PostgreSQL running, as a crashed server would.
 */
public final class OrphanPostgres {

    private OrphanPostgres() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(Path.of(args[0]))
                .setCleanDataDirectory(false).setRegisterShutdownHook(false).start();
        System.out.println("READY " + postgres.getPort());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
