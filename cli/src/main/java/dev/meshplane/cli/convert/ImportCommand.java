package dev.meshplane.cli.convert;

import dev.meshplane.api.importing.ImportException;
import dev.meshplane.api.importing.ImportOptions;
import dev.meshplane.api.importing.ImportResult;
import dev.meshplane.api.importing.Imports;
import dev.meshplane.cli.InvalidInputException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code meshplane import FILE|FOLDER...}: prints the apply document ({@code POST /v1/apply}'s body) for App Mesh
 * controller manifests, CloudFormation templates, App Mesh JSON or apply documents, and on standard error one
 * {@code note:} line for each thing read differently from how it was written. Refused input exits 1 naming the
 * document and field.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Print the apply document (POST /v1/apply's JSON) for appmesh.k8s.aws/v1beta2 manifests,"
            + " CloudFormation templates (YAML or JSON, also CDK output), App Mesh JSON (describe output) or apply"
            + " documents. Notes on what was dropped or read differently go to standard error."})
public final class ImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "files or folders (their .yaml, .yml, .json files), or - for standard input")
    List<String> inputs;

    @Mixin
    ImportChoices choices;

    @Override
    public Integer call() throws IOException {
        ImportOptions options = choices.options(spec);
        ImportResult result;
        try {
            result = Imports.read(InputFiles.read(inputs), options);
        } catch (ImportException e) {
            throw new InvalidInputException(e.getMessage());
        }
        result.report().forEach(line -> spec.commandLine().getErr().println("meshplane: note: " + line));
        spec.commandLine().getErr().flush();
        spec.commandLine().getOut().println(result.document().toJsonText());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
