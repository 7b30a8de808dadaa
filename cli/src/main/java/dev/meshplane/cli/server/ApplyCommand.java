package dev.meshplane.cli.server;

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
 * {@code meshplane apply -f FILE|FOLDER... [--dry-run] [--prune] [--output json]}: imports the files (any format
 * {@code import} reads) and applies them with {@code POST /v1/apply}, all or nothing; prints the plan carried out.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Apply App Mesh controller YAML, CloudFormation templates, App Mesh JSON or apply documents to"
            + " Meshplane in one transaction (POST /v1/apply), and print what was created, updated, deleted or left"
            + " unchanged."})
public final class ApplyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Meshplane root;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
            description = "a file or folder (its .yaml, .yml, .json files), or - for standard input; repeatable")
    List<String> files;

    @Option(names = "--dry-run", description = "plan only: nothing is stored")
    boolean dryRun;

    @Option(names = "--prune", description = "also delete what the meshes named hold and the files do not")
    boolean prune;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "text (one line per resource, default) or json (the server's answer)")
    Output output;

    @Mixin
    ImportChoices choices;

    @Mixin
    ServerOptions server;

    @Override
    public Integer call() throws IOException {
        var result = PlanRun.run(spec, server.client(spec, root.environment()), files, choices, dryRun, prune);
        PlanRun.print(spec.commandLine().getOut(), result, output == Output.JSON, false);
        return 0;
    }
}
