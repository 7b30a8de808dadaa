package dev.meshplane.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile cannot be built here (no Docker engine), so this keeps it honest: multi-stage, a JRE
 * to run on, a non-root user, the contract ports, and every module it copies exists while every
 * module the server needs is copied.
 */
class DockerfileTest {

    @Test
    void multiStageNonRootOnAJre() throws Exception {
        String dockerfile = Files.readString(Repo.file("Dockerfile"));
        List<String> froms = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile).results().map(m -> m.group(1)).toList();
        assertThat(froms).hasSize(2);
        assertThat(froms.get(0)).startsWith("maven:");
        assertThat(froms.get(1)).contains("jre");
        Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(dockerfile);
        assertThat(user.find()).isTrue();
        assertThat(user.group(1)).doesNotStartWith("root").doesNotStartWith("0");
        assertThat(dockerfile).contains("EXPOSE 8080 18000", "control-plane/target/meshplane.jar");
    }

    @Test
    void itCopiesEveryModuleTheServerIsBuiltFrom() throws Exception {
        String dockerfile = Files.readString(Repo.file("Dockerfile"));
        String rootPom = Files.readString(Repo.file("pom.xml"));
        List<String> modules = Pattern.compile("<module>([^<]+)</module>").matcher(rootPom).results().map(m -> m.group(1)).toList();
        for (String module : modules) {
            assertThat(dockerfile).as("the reactor needs " + module + "/pom.xml").contains("COPY " + module + "/pom.xml");
        }
        // -pl control-plane -am builds these: its dependencies, test-scoped ones included
        for (String module : List.of("api", "persistence", "snapshot", "grpc-credentials", "console", "control-plane")) {
            assertThat(dockerfile).contains("COPY " + module + "/src " + module + "/src");
        }
        Pattern.compile("(?m)^COPY (?!--)(\\S+)").matcher(dockerfile).results().map(m -> m.group(1)).forEach(source ->
                assertThat(Repo.file(source)).as("COPY " + source).exists());
    }
}
