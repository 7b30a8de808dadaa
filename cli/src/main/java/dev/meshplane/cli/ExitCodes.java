package dev.meshplane.cli;

/**
 * What the {@code meshplane} command's exit status means, for CI jobs to branch on. Every command
 * keeps to these; a new kind of outcome gets a new number here and a line in {@link Meshplane}'s help.
 */
public final class ExitCodes {

    /** Done as asked. */
    public static final int OK = 0;
    /** The input was refused; the message names the document, the field and what is wrong. Nothing was written. */
    public static final int INVALID_INPUT = 1;
    /** Wrong usage: an unknown command or option, a missing or malformed option value (picocli's own code). */
    public static final int USAGE = 2;
    /** A file could not be read or written. */
    public static final int IO_ERROR = 3;
    /** The server refused the request (a 4xx: invalid resource, conflict, forbidden); nothing was changed. */
    public static final int SERVER_REFUSED = 4;
    /** The server could not be reached, or failed (a 5xx, or an answer that is not Meshplane's JSON). */
    public static final int SERVER_ERROR = 5;
    /** {@code diff}: applying would change something (0 when it would change nothing). */
    public static final int DIFF_CHANGES = 6;

    private ExitCodes() {
    }
}
