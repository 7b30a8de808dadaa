package dev.meshplane.cli;

import dev.meshplane.cli.convert.ExportCommand;
import dev.meshplane.cli.convert.ImportCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code meshplane} command: one top-level command whose subcommands each do one job
 * ({@code migrate ecs-task-definition}, {@code import}, {@code export}). Exit codes are {@link ExitCodes}'; refused input and
 * unreadable files are reported on standard error in one line, never as a stack trace.
 */
@Command(name = "meshplane", mixinStandardHelpOptions = true, version = "meshplane 0.1.0",
        description = "Meshplane's command line: move App Mesh deployments to Meshplane.",
        subcommands = {MigrateCommand.class, ImportCommand.class, ExportCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:the input was refused (the message names the file, the field and what is wrong); nothing was written",
            "2:wrong usage: an unknown command or option, or a missing or malformed option value",
            "3:a file could not be read or written"})
public final class Meshplane implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a command, e.g. 'meshplane migrate ecs-task-definition task.json'");
    }

    /** The command line with this program's error handling: refused input exits 1, an I/O failure 3, with a message. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Meshplane());
        // --format k8s as users type it, for enum constants spelt in capitals
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            if (exception instanceof InvalidInputException) {
                line.getErr().println("meshplane: " + exception.getMessage());
                return ExitCodes.INVALID_INPUT;
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
        System.exit(commandLine().execute(args));
    }
}
