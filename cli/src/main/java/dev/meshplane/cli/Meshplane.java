package dev.meshplane.cli;

import dev.meshplane.cli.convert.ExportCommand;
import dev.meshplane.cli.convert.ImportCommand;
import dev.meshplane.cli.server.ApplyCommand;
import dev.meshplane.cli.server.DiffCommand;
import dev.meshplane.cli.server.GetCommand;
import dev.meshplane.cli.server.ProxiesCommand;
import dev.meshplane.cli.server.ServerException;
import java.util.Map;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code meshplane} command: one top-level command whose subcommands each do one job
 * ({@code migrate ecs-task-definition}, {@code import}, {@code export}, and against a server {@code apply},
 * {@code diff}, {@code get}, {@code proxies}). Exit codes are {@link ExitCodes}'; refused input, unreadable files
 * and the server's refusals are reported on standard error in one line, never as a stack trace.
 */
@Command(name = "meshplane", mixinStandardHelpOptions = true, version = "meshplane 0.1.0",
        description = "Meshplane's command line: move App Mesh deployments to Meshplane.",
        subcommands = {MigrateCommand.class, ImportCommand.class, ExportCommand.class, ApplyCommand.class,
            DiffCommand.class, GetCommand.class, ProxiesCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:the input was refused (the message names the file, the field and what is wrong); nothing was written",
            "2:wrong usage: an unknown command or option, or a missing or malformed option value",
            "3:a file could not be read or written",
            "4:the server refused the request (4xx: an invalid resource, a version conflict, not allowed); nothing changed",
            "5:the server could not be reached, or failed (5xx, or an answer that is not Meshplane's JSON)",
            "6:diff: applying would change something"},
        footer = {"%nServer commands (apply, diff, get, proxies, and export --mesh without files) call --endpoint (or $MESHPLANE_ENDPOINT, default"
            + " http://localhost:8080) with --token (or $MESHPLANE_TOKEN), else SigV4 from AWS_ACCESS_KEY_ID,"
            + " AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_REGION or AWS_DEFAULT_REGION (default us-east-1)."})
public final class Meshplane implements Runnable {

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;

    private Meshplane(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The environment variables the server commands read (the process's, or a test's). */
    public Map<String, String> environment() {
        return environment;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a command, e.g. 'meshplane migrate ecs-task-definition task.json'");
    }

    /** The command line with this program's error handling, reading the process's environment. */
    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /**
     * The command line with this program's error handling: refused input exits 1, an I/O failure 3, a server's
     * refusal 4 and a server's failure 5, each with a one-line message.
     *
     * @param environment the variables the server commands read in place of the process's own
     */
    public static CommandLine commandLine(Map<String, String> environment) {
        CommandLine commandLine = new CommandLine(new Meshplane(environment));
        // --format k8s as users type it, for enum constants spelt in capitals
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            if (exception instanceof InvalidInputException) {
                line.getErr().println("meshplane: " + exception.getMessage());
                return ExitCodes.INVALID_INPUT;
            }
            if (exception instanceof ServerException server) {
                line.getErr().println("meshplane: " + server.getMessage());
                return server.exitCode();
            }
            if (exception instanceof IOException || exception instanceof UncheckedIOException) {
                Throwable cause = exception instanceof UncheckedIOException unchecked ? unchecked.getCause() : exception;
                line.getErr().println("meshplane: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
                return ExitCodes.IO_ERROR;
            }
            throw exception;
        });
        return commandLine;
    }

    /** Runs the command line and exits with its {@link ExitCodes exit code}. */
    public static void main(String[] args) {
        // the process's exit code is the CLI's contract with CI scripts (ExitCodes); tests run commandLine().execute
        // in-process and assert the code, and MeshplaneCliTest runs the launcher script and the shaded jar through this main
        System.exit(commandLine().execute(args));
    }
}
