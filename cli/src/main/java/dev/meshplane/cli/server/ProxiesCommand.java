package dev.meshplane.cli.server;

import dev.meshplane.cli.Meshplane;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code meshplane proxies [--output json]}: the connected proxies ({@code GET /v1/proxies}), one line each (node
 * id, kind, whether its last config was ACKed or NACKed), or the server's JSON.
 */
@Command(name = "proxies", mixinStandardHelpOptions = true,
        description = {"List the proxies connected over xDS (GET /v1/proxies) with their config status."})
public final class ProxiesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Meshplane root;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "text (one line per proxy, default) or json (the server's answer)")
    Output output;

    @Mixin
    ServerOptions server;

    @Override
    public Integer call() {
        JsonNode answer = server.client(spec, root.environment()).send("GET", "/v1/proxies", null);
        var out = spec.commandLine().getOut();
        if (output == Output.JSON) {
            out.println(ServerClient.pretty(answer));
        } else {
            for (JsonNode proxy : answer.path("proxies")) {
                out.println(proxy.path("nodeId").asString() + "\t" + proxy.path("kind").asString() + "\t"
                        + (proxy.path("lastNack").isObject() ? "NACK" : "ok"));
            }
        }
        out.flush();
        return 0;
    }
}
