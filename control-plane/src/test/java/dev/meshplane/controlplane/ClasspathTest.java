package dev.meshplane.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dependency traps of java-control-plane: without grpc-bom, gRPC 1.62 artifacts arrive beside
 * 1.85; java-control-plane and gRPC pull different protobuf runtimes. One line of each must win.
 */
class ClasspathTest {

    private static List<String> versions(String group, String artifactPattern) {
        Pattern pattern = Pattern.compile(".*/" + group.replace('.', '/') + "/(" + artifactPattern + ")/([^/]+)/[^/]+\\.jar$");
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(pattern::matcher).filter(Matcher::matches).map(m -> m.group(2)).distinct().toList();
    }

    @Test
    void oneGrpcVersion() {
        List<String> grpc = versions("io.grpc", "grpc-[a-z-]+");
        assertThat(grpc).as("io.grpc artifact versions on the classpath").containsExactly("1.85.1");
    }

    @Test
    void oneProtobufRuntime() {
        assertThat(versions("com.google.protobuf", "protobuf-java(?:-util)?")).hasSize(1);
        assertThat(versions("com.google.guava", "guava")).hasSize(1);
    }
}
