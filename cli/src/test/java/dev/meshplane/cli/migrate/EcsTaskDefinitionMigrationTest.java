package dev.meshplane.cli.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.cli.ExitCodes;
import dev.meshplane.cli.Meshplane;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code meshplane migrate ecs-task-definition} on the seed's MyLearning task definition (the App
 * Mesh image, APPMESH_VIRTUAL_NODE_NAME, X-Ray and stats tags on): golden outputs with placeholders
 * and with a Secrets Manager secret, everything else kept, a second run changing nothing, and each
 * refusal with its exit code and a message naming the field. Run with {@code -Dgolden.update=true}
 * to rewrite the golden files (then read their diff).
 */
class EcsTaskDefinitionMigrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SEED = Path.of("src/test/resources/migrate/mylearning-user-service.json");
    private static final String SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:mylearning/user-service/meshplane-AbCdEf";

    @TempDir
    Path work;

    /** Exit code, standard output and standard error of one run of the command line. */
    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Meshplane.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Run migrate(Path file, String... options) {
        List<String> args = new ArrayList<>(List.of("migrate", "ecs-task-definition", file.toString()));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    private static void assertGolden(String output, String name) throws Exception {
        Path golden = Path.of("src/test/resources/migrate", name);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, output);
        }
        assertThat(golden).as("golden file (run with -Dgolden.update=true to create)").exists();
        assertThat(output).isEqualTo(Files.readString(golden));
    }

    @Test
    void theSeedsTaskDefinitionWithPlaceholders() throws Exception {
        Run run = migrate(SEED, "--xds-endpoint", "meshplane.mylearning.internal:18000", "--region", "us-east-1");
        assertThat(run.err()).isEmpty();
        assertThat(run.code()).isEqualTo(ExitCodes.OK);
        assertGolden(run.out(), "mylearning-user-service.placeholders.json");
    }

    @Test
    void theSeedsTaskDefinitionWithASecretsManagerSecret() throws Exception {
        Run run = migrate(SEED, "--xds-endpoint", "meshplane.mylearning.internal:18000", "--secret-arn", SECRET);
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertGolden(run.out(), "mylearning-user-service.secrets.json");
    }

    @Test
    void everythingButTheEnvoysConnectionIsKeptAndASecondRunChangesNothing() throws Exception {
        JsonNode seed = JSON.readTree(SEED.toFile());
        Run run = migrate(SEED, "--xds-endpoint", "meshplane.mylearning.internal:18000", "--secret-arn", SECRET);
        ObjectNode migrated = (ObjectNode) JSON.readTree(run.out());

        // taking out exactly what the migration adds gives the seed back, member for member and in order
        ObjectNode undone = migrated.deepCopy();
        ArrayNode containers = (ArrayNode) undone.get("containerDefinitions");
        assertThat(containers.get(containers.size() - 1).get("name").asString()).isEqualTo(EcsTaskDefinitionMigration.CA_CONTAINER);
        containers.remove(containers.size() - 1);
        undone.remove("volumes");
        ObjectNode envoy = (ObjectNode) containers.get(1);
        ArrayNode environment = (ArrayNode) envoy.get("environment");
        assertThat(environment.get(environment.size() - 1).get("value").asString()).isEqualTo("meshplane.mylearning.internal:18000");
        environment.remove(environment.size() - 1);
        envoy.remove(List.of("secrets", "mountPoints"));
        ArrayNode dependsOn = (ArrayNode) envoy.get("dependsOn");
        assertThat(dependsOn).hasSize(1);
        envoy.remove("dependsOn");
        assertThat(undone).isEqualTo(seed);
        assertThat(JSON.writeValueAsString(undone)).as("member order kept").isEqualTo(JSON.writeValueAsString(seed));

        Path once = Files.writeString(work.resolve("once.json"), run.out());
        assertThat(migrate(once, "--xds-endpoint", "meshplane.mylearning.internal:18000", "--secret-arn", SECRET).out())
                .isEqualTo(run.out());
        // switching from a secret to placeholders leaves no secret reference behind, and back
        String placeholders = migrate(once, "--xds-endpoint", "meshplane.mylearning.internal:18000").out();
        assertThat(placeholders).doesNotContain("secretsmanager:us-east-1:123456789012:secret:mylearning/user-service/meshplane")
                .contains("${MESHPLANE_PROXY_ACCESS_KEY_ID}");
        Path twice = Files.writeString(work.resolve("twice.json"), placeholders);
        assertThat(migrate(twice, "--xds-endpoint", "meshplane.mylearning.internal:18000", "--secret-arn", SECRET).out())
                .isEqualTo(run.out());
    }

    @Test
    void refusalsNameTheFieldAndExitWithTheirCode() throws Exception {
        String seed = Files.readString(SEED);
        String[][] cases = {
            // input, options, exit code, message
            {"[1, 2]", "", "1", "must be a JSON object"},
            {"{\"taskDefinition\": " + seed + "}", "", "1", "taskDefinition: this is describe-task-definition's output"},
            {"{\"family\": \"f\"}", "", "1", "containerDefinitions: missing or empty"},
            {seed.replace("aws-appmesh-envoy", "envoyproxy/envoy").replace("\"containerName\": \"envoy\"",
                "\"containerName\": \"sidecar\""), "", "1", "no container is named 'sidecar' (proxyConfiguration.containerName)"},
            {seed.replace("\"proxyConfiguration\"", "\"proxyConfigurationWas\"").replace("mylearning/user-service:v1.2.3",
                "aws-appmesh-envoy:v1.22.2.0-prod"), "", "1", "2 containers run the App Mesh Envoy image"},
            {seed.replace("APPMESH_VIRTUAL_NODE_NAME", "APPMESH_NODE"), "", "1",
                "containerDefinitions 'envoy'.environment: none of APPMESH_RESOURCE_ARN, APPMESH_RESOURCE_NAME, APPMESH_VIRTUAL_NODE_NAME"},
            {"{\"family\": ", "", "1", "not JSON"},
            {seed, "--xds-endpoint=https://meshplane:18000", "2", "--xds-endpoint must be HOST:PORT"},
            {seed, "--secret-arn=arn:aws:ssm:us-east-1:123456789012:parameter/x", "2", "--secret-arn must be a Secrets Manager"},
            {seed, "--envoy-container=proxy", "1", "no container is named 'proxy' (--envoy-container)"},
            // a list where ECS takes a string was Jackson's JsonNodeException: a stack trace
            {seed.replace("\"840364872350.dkr.ecr.us-east-1.amazonaws.com/aws-appmesh-envoy:v1.22.2.0-prod\"", "[\"envoy\"]"),
                "", "1", "containerDefinitions[1].image: must be a string"},
            {seed.replace("\"proxyConfiguration\"", "\"proxyConfigurationWas\"").replace("\"name\": \"envoy\"",
                "\"name\": {\"n\": 1}"), "", "1", "containerDefinitions[1].name: must be a string"},
        };
        for (String[] c : cases) {
            Path file = Files.writeString(work.resolve("task.json"), c[0]);
            List<String> options = new ArrayList<>();
            if (!c[1].startsWith("--xds-endpoint")) {
                options.addAll(List.of("--xds-endpoint", "meshplane:18000"));
            }
            if (!c[1].isEmpty()) {
                options.add(c[1]);
            }
            Run run = migrate(file, options.toArray(String[]::new));
            assertThat(run.code()).as(c[3] + ": " + run.err()).isEqualTo(Integer.parseInt(c[2]));
            assertThat(run.err()).as(c[3]).contains(c[3]).doesNotContain("\tat ");
            assertThat(run.out()).as("nothing written").isEmpty();
        }
        Run missingOption = run("migrate", "ecs-task-definition", SEED.toString());
        assertThat(missingOption.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missingOption.err()).contains("--xds-endpoint");
        Run missingFile = migrate(work.resolve("absent.json"), "--xds-endpoint", "meshplane:18000");
        assertThat(missingFile.code()).isEqualTo(ExitCodes.IO_ERROR);
        assertThat(missingFile.err()).contains("absent.json");
        assertThat(run().code()).as("no command").isEqualTo(ExitCodes.USAGE);
        assertThat(run("--help").out()).contains("migrate", "Exit codes:", "the input was refused");
    }
}
