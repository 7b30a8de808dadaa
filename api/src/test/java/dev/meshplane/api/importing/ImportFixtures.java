package dev.meshplane.api.importing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads test resources under {@code importing/} as parsed documents. */
final class ImportFixtures {

    private ImportFixtures() {
    }

    static List<SourceDocument> documents(String... resources) {
        List<SourceDocument> documents = new ArrayList<>();
        for (String resource : resources) {
            documents.addAll(YamlDocuments.parse(resource, text(resource)));
        }
        return documents;
    }

    static String text(String resource) {
        try (InputStream in = ImportFixtures.class.getResourceAsStream("/importing/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource importing/" + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final String[] SEED = {"seed/user-service.yaml", "seed/user-service-v1.yaml", "seed/ab-test-routes.yaml"};

    static String[] seedWithRest() {
        return new String[] {SEED[0], SEED[1], SEED[2], "seed/rest-of-mesh.yaml"};
    }
}
