package dev.meshplane.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/grafana-dashboard.json parses, and every Meshplane metric it queries is one the server
 * exposes, as docs/operations.md lists them (MetricsTest scrapes those from a running server).
 */
class GrafanaDashboardTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyQueryUsesAMetricTheServerExposes() throws Exception {
        // JSON is YAML, so the YAML parser already on the class path reads it
        Map<String, Object> dashboard = new Yaml().load(Files.readString(Repo.file("docs/grafana-dashboard.json")));
        List<Map<String, Object>> panels = (List<Map<String, Object>>) dashboard.get("panels");
        assertThat(panels).hasSizeGreaterThanOrEqualTo(8);
        String operations = Files.readString(Repo.file("docs/operations.md"));
        List<String> metrics = new ArrayList<>();
        for (Map<String, Object> panel : panels) {
            for (Map<String, Object> target : (List<Map<String, Object>>) panel.get("targets")) {
                Pattern.compile("\\b(meshplane_[a-z_]+|http_server_requests_seconds|spring_data_repository_invocations_seconds)")
                        .matcher((String) target.get("expr")).results().forEach(m -> metrics.add(m.group(1)));
            }
        }
        assertThat(metrics).isNotEmpty();
        for (String metric : metrics) {
            String base = metric.replaceAll("_(bucket|sum|count|total)$", "");
            assertThat(operations).as(metric + " is a documented metric").contains("`" + base);
        }
    }
}
