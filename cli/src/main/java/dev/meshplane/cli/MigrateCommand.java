package dev.meshplane.cli;

import dev.meshplane.cli.migrate.EcsTaskDefinitionCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code meshplane migrate}: rewrites what an App Mesh deployment is made of so that it reaches Meshplane. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Rewrite App Mesh deployment files so that their proxies reach Meshplane.",
        subcommands = {EcsTaskDefinitionCommand.class})
public final class MigrateCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name what to migrate, e.g. 'meshplane migrate ecs-task-definition task.json'");
    }
}
