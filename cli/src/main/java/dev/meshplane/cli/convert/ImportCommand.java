package dev.meshplane.cli.convert;

import dev.meshplane.api.importing.ImportException;
import dev.meshplane.api.importing.ImportOptions;
import dev.meshplane.api.importing.ImportResult;
import dev.meshplane.api.importing.Imports;
import dev.meshplane.cli.InvalidInputException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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

    @Option(names = "--mesh", paramLabel = "NAME", description = "the mesh of Kubernetes objects without spec.meshRef")
    String mesh;

    @Option(names = "--namespace", paramLabel = "NAME", description = "the namespace of Kubernetes objects without one (default: default)")
    String namespace;

    @Option(names = "--acm", paramLabel = "built-in",
            description = "built-in: ACM certificates and trusts become the mesh CA's SDS secrets; without it they are refused")
    String acm;

    @Option(names = "--router", paramLabel = "NAME", description = "the VirtualRouter (Kubernetes name) bare 'kind: Route' documents attach to")
    String router;

    @Option(names = "--parameter", paramLabel = "KEY=VALUE",
            description = "a CloudFormation parameter's value, or a pseudo parameter's (AWS::Region, AWS::AccountId); repeatable")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        if (acm != null && !acm.equals("built-in")) {
            throw new ParameterException(spec.commandLine(), "--acm takes built-in, got '" + acm + "'");
        }
        ImportResult result;
        try {
            result = Imports.read(InputFiles.read(inputs), new ImportOptions(mesh, namespace, acm != null, router, parameters));
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
