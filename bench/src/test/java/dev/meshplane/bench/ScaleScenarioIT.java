package dev.meshplane.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale scenario at a small size (tens of proxies), so the tool keeps working: the packaged
 * server in its own process, the mesh written through the API, the simulated fleet, every change,
 * and a restart. It checks outcomes, not timings (the machines are shared and noisy).
 */
class ScaleScenarioIT {

    @TempDir
    Path work;

    /**
     * With load reports on (every second here, CPU over 2 s windows): every simulated proxy's reports are believed
     * by the server (none ignored) and written, and the changes still reach exactly their proxies while it reports.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theScenarioRunsEndToEnd() throws Exception {
        Path jar = Path.of(System.getProperty("test.meshplane.server.jar", ServerProcess.defaultJar().toString()));
        assertThat(jar).as("the server jar, built by the package phase").exists();
        Path output = work.resolve("scale.json");
        Map<String, Object> result = new ScenarioRunner(Map.ofEntries(
                Map.entry("proxies", "24"), Map.entry("services", "12"), Map.entry("clients", "4"), Map.entry("backends", "3"),
                Map.entry("progress", "false"), Map.entry("heap", "512m"),
                Map.entry("load-reports", "true"), Map.entry("reporting-interval", "1s"), Map.entry("cpu-window", "2"),
                Map.entry("server-jar", jar.toString()),
                Map.entry("data-dir", work.resolve("data").toString()),
                Map.entry("output", output.toString()))).run();

        assertThat(result.get("complete")).isEqualTo(true);
        assertThat(Files.readString(output)).contains("\"coldStartMillis\"", "\"changes\"", "\"loadReports\"");
        Map<String, Object> load = (Map<String, Object>) result.get("loadReports");
        assertThat(load.get("reportingIntervalMillis")).as("the interval the server asks for").isEqualTo(1000L);
        assertThat((Long) load.get("reportsSent")).as("24 proxies, one report a second, over 2 s").isGreaterThanOrEqualTo(24L);
        assertThat((Long) load.get("clusterReportsAccepted")).as("each report names 6 egress clusters (3 services, 2 versions);"
                + " reports crossing the window's edges count on one side only").isGreaterThanOrEqualTo(2 * (Long) load.get("reportsSent"));
        assertThat(load.get("clusterReportsIgnored")).as("the simulated reports are ones the server believes").isEqualTo(0L);
        assertThat((Long) load.get("writes")).as("written once a second, in batches").isPositive();
        List<Map<String, Object>> changes = eachReachedOnlyItsProxies(result);
        assertThat(changes.get(0).get("affected")).isEqualTo(24);
        assertThat((Integer) changes.get(2).get("affected")).isLessThan(24);
        assertThat(result.get("restartProxiesWithNewVersions")).isEqualTo(0L);
        assertThat(result.get("restartResponses")).isEqualTo(0L);
    }

    /** Every change reached every proxy it affects, and was pushed to none other; the changes, in order. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> eachReachedOnlyItsProxies(Map<String, Object> result) {
        List<Map<String, Object>> changes = (List<Map<String, Object>>) result.get("changes");
        assertThat(changes).hasSize(4);
        for (Map<String, Object> change : changes) {
            assertThat(change.get("reached")).as(change.get("change").toString()).isEqualTo(change.get("affected"));
            assertThat(change.get("proxiesPushedOutsideAffected")).as(change.get("change") + ": pushes to unaffected proxies")
                    .isEqualTo(0L);
        }
        return changes;
    }

    /**
     * With the mesh-wide mTLS switch on STRICT: every proxy also gets its certificate and the trust
     * bundle over SDS before it counts as configured, changes still reach only the proxies they
     * affect, and a restart changes no configuration (certificates are issued anew: reported).
     */
    @Test
    @SuppressWarnings("unchecked")
    void theScenarioRunsWithMtlsStrict() throws Exception {
        Path jar = Path.of(System.getProperty("test.meshplane.server.jar", ServerProcess.defaultJar().toString()));
        Map<String, Object> result = new ScenarioRunner(Map.of(
                "proxies", "24", "services", "12", "clients", "4", "backends", "3", "mtls", "STRICT",
                "progress", "false", "heap", "512m",
                "server-jar", jar.toString(),
                "data-dir", work.resolve("data-mtls").toString(),
                "output", work.resolve("scale-mtls.json").toString())).run();

        assertThat(result.get("complete")).isEqualTo(true);
        assertThat(result.get("mtls")).isEqualTo("STRICT");
        List<Map<String, Object>> changes = eachReachedOnlyItsProxies(result);
        assertThat(result.get("restartProxiesWithNewVersions")).isEqualTo(0L);
    }

    /**
     * The same scenario against the bare java-control-plane baseline: every change arrives, and,
     * unlike Meshplane, a change to one service reaches every proxy, and a restart re-sends.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theBaselineRunsEndToEnd() throws Exception {
        Path output = work.resolve("baseline.json");
        Map<String, Object> result = new ScenarioRunner(Map.of(
                "baseline", "cached", "proxies", "24", "services", "12", "clients", "4", "backends", "3",
                "progress", "false", "heap", "256m",
                "data-dir", work.resolve("baseline-data").toString(),
                "output", output.toString())).run();

        assertThat(result.get("complete")).isEqualTo(true);
        assertThat(result.get("server")).asString().contains("SimpleCache");
        List<Map<String, Object>> changes = (List<Map<String, Object>>) result.get("changes");
        assertThat(changes).hasSize(4);
        for (Map<String, Object> change : changes) {
            assertThat(change.get("reached")).as(change.get("change").toString()).isEqualTo(change.get("affected"));
        }
        assertThat(changes.get(3).get("proxiesPushed")).as("one snapshot for all: a new service reaches everyone")
                .isEqualTo(24L);
        assertThat((Long) result.get("restartProxiesWithNewVersions")).as("versions numbered from 1 again").isPositive();
    }
}
