package dev.meshplane.cli.server;

/** How a command prints what the server answered: for people, or as JSON for scripts. */
public enum Output {
    TEXT, JSON
}
