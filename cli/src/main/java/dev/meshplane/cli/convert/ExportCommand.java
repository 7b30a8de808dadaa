package dev.meshplane.cli.convert;

import dev.meshplane.api.importing.AppMeshJsonFormat;
import dev.meshplane.api.importing.ApplyDocument;
import dev.meshplane.api.importing.CloudFormationExporter;
import dev.meshplane.api.importing.ExportOptions;
import dev.meshplane.api.importing.ImportException;
import dev.meshplane.api.importing.Imports;
import dev.meshplane.api.importing.KubernetesExporter;
import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.cli.InvalidInputException;
import dev.meshplane.cli.Meshplane;
import dev.meshplane.cli.server.ServerOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code meshplane export FILE... --format json|k8s|cloudformation}: reads what {@code meshplane import} reads
 * (an apply document, App Mesh JSON, manifests, templates, with the same options) and prints it in the chosen format, which
 * {@code meshplane import} reads back to the same apply document. Without files, {@code --mesh NAME} exports that mesh
 * from the server ({@code GET /v1/meshes/{mesh}/export}), as it holds it now.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Print resources (an apply document, App Mesh JSON, or anything 'import' reads) as App Mesh JSON"
            + " (describe output), appmesh.k8s.aws/v1beta2 YAML or a CloudFormation template. Importing the output"
            + " gives the same apply document back. Without FILE, --mesh NAME exports that mesh from the server."})
public final class ExportCommand implements Callable<Integer> {

    /** The formats export writes. */
    enum Format { JSON, K8S, CLOUDFORMATION }

    @Spec
    CommandSpec spec;

    @ParentCommand
    Meshplane root;

    @Parameters(arity = "0..*", paramLabel = "FILE",
            description = "files or folders, or - for standard input; none: the mesh --mesh names, from the server")
    List<String> inputs;

    @Mixin
    ServerOptions server;

    @Mixin
    ImportChoices choices;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "json, k8s or cloudformation")
    Format format;

    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "default", description = "the Kubernetes namespace to write (default: ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--region", paramLabel = "REGION", defaultValue = "us-east-1",
            description = "the region in ARNs of resources the input does not hold (default: ${DEFAULT-VALUE}; the server"
                    + " writes its own)")
    String region;

    @Option(names = "--account-id", paramLabel = "ACCOUNT", defaultValue = "000000000000",
            description = "the account in those ARNs (default: ${DEFAULT-VALUE})")
    String accountId;

    @Override
    public Integer call() throws IOException {
        if (inputs == null || inputs.isEmpty()) {
            return fromServer();
        }
        ApplyDocument document;
        try {
            document = Imports.read(InputFiles.read(inputs), choices.options(spec)).document();
        } catch (ImportException e) {
            throw new InvalidInputException(e.getMessage());
        }
        if (!document.policies().isEmpty()) {
            // App Mesh's formats have no authorization policies; dropping them silently would lose them on re-import
            throw new InvalidInputException(document.policies().get(0).describe() + ": json, k8s and cloudformation are"
                    + " App Mesh's formats and have no AuthorizationPolicy (Meshplane's own resource); keep policies in"
                    + " an apply document");
        }
        String text;
        try {
            text = switch (format) {
                case JSON -> AppMeshJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(AppMeshJsonFormat.export(document)) + "\n";
                case K8S -> KubernetesExporter.export(document, new ExportOptions(namespace, region, accountId));
                case CLOUDFORMATION -> CloudFormationExporter.export(document) + "\n";
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The mesh --mesh names, as the server exports it, printed as it came. */
    private int fromServer() {
        String mesh = choices.mesh();
        if (mesh == null) {
            throw new ParameterException(spec.commandLine(), "export needs FILEs to convert, or --mesh NAME to export that"
                    + " mesh from the server");
        }
        String text = server.client(spec, root.environment()).text("/v1/meshes/" + encode(mesh) + "/export?format="
                + format.name().toLowerCase(Locale.ROOT) + "&namespace=" + encode(namespace));
        spec.commandLine().getOut().print(text.endsWith("\n") ? text : text + "\n");
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
