package dev.meshplane.cli.server;

import dev.meshplane.cli.Meshplane;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code meshplane get KIND [NAME] --mesh M [--router R | --gateway G]}: one resource as the App Mesh API's
 * Describe operation prints it, or, without a name, the kind's List answer; always JSON.
 */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Print one resource (Describe*) or, without NAME, the list of a kind (List*) as JSON, exactly as"
            + " the App Mesh API answers."})
public final class GetCommand implements Callable<Integer> {

    /** The kinds, with the App Mesh API's collection path (restJson1 URIs of the 2019-01-25 model). */
    enum Kind {
        MESH("/v20190125/meshes"),
        VIRTUALNODE("/v20190125/meshes/{mesh}/virtualNodes"),
        VIRTUALSERVICE("/v20190125/meshes/{mesh}/virtualServices"),
        VIRTUALROUTER("/v20190125/meshes/{mesh}/virtualRouters"),
        ROUTE("/v20190125/meshes/{mesh}/virtualRouter/{router}/routes"),
        VIRTUALGATEWAY("/v20190125/meshes/{mesh}/virtualGateways"),
        GATEWAYROUTE("/v20190125/meshes/{mesh}/virtualGateway/{gateway}/gatewayRoutes");

        final String path;

        Kind(String path) {
            this.path = path;
        }
    }

    @Spec
    CommandSpec spec;

    @ParentCommand
    Meshplane root;

    @Parameters(index = "0", paramLabel = "KIND",
            description = "mesh, virtualNode, virtualService, virtualRouter, route, virtualGateway or gatewayRoute")
    Kind kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "the resource's name; none: list them")
    String name;

    @Option(names = "--mesh", paramLabel = "NAME", description = "the mesh (every kind but mesh)")
    String mesh;

    @Option(names = "--router", paramLabel = "NAME", description = "the virtual router (route)")
    String router;

    @Option(names = "--gateway", paramLabel = "NAME", description = "the virtual gateway (gatewayRoute)")
    String gateway;

    @Mixin
    ServerOptions server;

    @Override
    public Integer call() {
        String path = kind.path;
        if (path.contains("{mesh}")) {
            path = path.replace("{mesh}", required(mesh, "--mesh"));
        }
        if (kind == Kind.ROUTE) {
            path = path.replace("{router}", required(router, "--router"));
        }
        if (kind == Kind.GATEWAYROUTE) {
            path = path.replace("{gateway}", required(gateway, "--gateway"));
        }
        if (name != null) {
            path += "/" + encode(name);
        }
        var answer = server.client(spec, root.environment()).send("GET", path, null);
        spec.commandLine().getOut().println(ServerClient.pretty(answer));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The option's value as a path segment; a usage error (exit 2) naming the option when it is missing. */
    private String required(String value, String option) {
        if (value == null) {
            throw new ParameterException(spec.commandLine(), "get " + kind.name().toLowerCase(Locale.ROOT)
                    + " needs " + option);
        }
        return encode(value);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
