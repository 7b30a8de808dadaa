package dev.meshplane.cli.server;

import dev.meshplane.cli.ExitCodes;

/**
 * The server refused a request (a 4xx: {@link ExitCodes#SERVER_REFUSED}) or could not answer it (a 5xx, or no
 * connection: {@link ExitCodes#SERVER_ERROR}); the message says which, with the server's own error type and message.
 */
public final class ServerException extends RuntimeException {

    private final int exitCode;

    ServerException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The exit code the command ends with. */
    public int exitCode() {
        return exitCode;
    }
}
