package dev.meshplane.packaging;

import java.nio.file.Path;

/** Where the project's files are, for tests that check what is deployed from them. */
final class Repo {

    private Repo() {
    }

    static Path root() {
        return Path.of(System.getProperty("test.meshplane.repo", "..")).toAbsolutePath().normalize();
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }
}
