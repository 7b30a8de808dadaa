package dev.meshplane.cli.server;

import dev.meshplane.cli.ExitCodes;
import dev.meshplane.cli.Meshplane;
import dev.meshplane.cli.convert.ImportChoices;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code meshplane diff -f FILE|FOLDER... [--prune]}: a dry run of {@code apply} that prints only what would change,
 * field by field, and exits {@link ExitCodes#DIFF_CHANGES} when something would (0 when nothing), as
 * {@code terraform plan -detailed-exitcode} and {@code kubectl diff} let a pipeline branch on it.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Show what 'apply' would change (a dry run: nothing is stored). Exits 0 when nothing would"
            + " change, 6 when something would."})
public final class DiffCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Meshplane root;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
            description = "a file or folder (its .yaml, .yml, .json files), or - for standard input; repeatable")
    List<String> files;

    @Option(names = "--prune", description = "also show what prune would delete")
    boolean prune;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "text (the changes, default) or json (the server's whole plan)")
    Output output;

    @Mixin
    ImportChoices choices;

    @Mixin
    ServerOptions server;

    @Override
    public Integer call() throws IOException {
        var result = PlanRun.run(spec, server.client(spec, root.environment()), files, choices, true, prune);
        PlanRun.print(spec.commandLine().getOut(), result, output == Output.JSON, true);
        return PlanRun.changes(result) ? ExitCodes.DIFF_CHANGES : ExitCodes.OK;
    }
}
