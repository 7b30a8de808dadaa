package dev.meshplane.cli.migrate;

import dev.meshplane.cli.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code meshplane migrate ecs-task-definition task.json --xds-endpoint host:port}: prints the task
 * definition rewritten by {@link EcsTaskDefinitionMigration} on standard output.
 */
@Command(name = "ecs-task-definition", mixinStandardHelpOptions = true,
        description = {"Rewrite an ECS task definition whose Envoy runs the stock App Mesh image (aws-appmesh-envoy)"
            + " so that it reaches Meshplane: APPMESH_XDS_ENDPOINT, Meshplane's xDS CA in /etc/pki/tls/cert.pem,"
            + " and the node's proxy access key as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Everything else is"
            + " kept. The result is printed on standard output."})
public final class EcsTaskDefinitionCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TASK_DEFINITION",
            description = "the task definition's JSON (register-task-definition's input), or - for standard input")
    String file;

    @Option(names = "--xds-endpoint", required = true, paramLabel = "HOST:PORT",
            description = "Meshplane's xDS address as the task reaches it; its certificate must name HOST (meshplane.xds.advertised-host)")
    String xdsEndpoint;

    @Option(names = "--region", paramLabel = "REGION",
            description = "Meshplane's region (meshplane.appmesh.region), set as the Envoy's AWS_REGION; default: the task's own")
    String region;

    @Option(names = "--secret-arn", paramLabel = "ARN",
            description = "a Secrets Manager secret with the JSON keys AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (the node's proxy"
                + " access key) and MESHPLANE_XDS_CA_BASE64; without it, $${...} placeholders are written instead")
    String secretArn;

    @Option(names = "--envoy-container", paramLabel = "NAME",
            description = "the Envoy container; default: proxyConfiguration.containerName, else the one aws-appmesh-envoy container")
    String envoyContainer;

    @Override
    public Integer call() throws IOException {
        if (!xdsEndpoint.matches("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+):\\d{1,5}")) {
            throw new ParameterException(spec.commandLine(), "--xds-endpoint must be HOST:PORT, got '" + xdsEndpoint + "'");
        }
        if (secretArn != null && !secretArn.matches("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:\\S+")) {
            throw new ParameterException(spec.commandLine(), "--secret-arn must be a Secrets Manager secret ARN"
                    + " (arn:aws:secretsmanager:<region>:<account>:secret:<name>), got '" + secretArn + "'");
        }
        JsonNode input;
        try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
            input = JSON.readTree(in);
        } catch (JacksonException e) {
            throw new InvalidInputException(file + ": not JSON: " + e.getOriginalMessage());
        }
        JsonNode migrated;
        try {
            migrated = EcsTaskDefinitionMigration.migrate(input,
                    new EcsTaskDefinitionMigration.Settings(xdsEndpoint, region, secretArn, envoyContainer));
        } catch (InvalidInputException e) {
            throw new InvalidInputException(file + ": " + e.getMessage());
        }
        spec.commandLine().getOut().print(print(migrated));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** JSON as people write task definitions: two spaces, one member or element per line, {@code "name": value}. */
    static String print(JsonNode node) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectNameValueSpacing(Separators.Spacing.AFTER).withObjectEmptySeparator("").withArrayEmptySeparator(""));
        printer.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        printer.indentObjectsWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        return JSON.writer().with(printer).writeValueAsString(node) + "\n";
    }
}
