package dev.meshplane.cli.convert;

import dev.meshplane.api.importing.ImportOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options that tell an import what its input leaves open ({@link ImportOptions}), shared by import and export. */
public final class ImportChoices {

    @Option(names = "--mesh", paramLabel = "NAME", description = "the mesh of Kubernetes objects without spec.meshRef")
    String mesh;

    @Option(names = "--input-namespace", paramLabel = "NAME",
            description = "the namespace of Kubernetes objects without one (default: default)")
    String namespace;

    @Option(names = "--acm", paramLabel = "built-in",
            description = "built-in: ACM certificates and trusts become the mesh CA's SDS secrets; without it they are refused")
    String acm;

    @Option(names = "--router", paramLabel = "NAME", description = "the VirtualRouter (Kubernetes name) bare 'kind: Route' documents attach to")
    String router;

    @Option(names = "--gateway", paramLabel = "NAME",
            description = "the VirtualGateway (Kubernetes name) of GatewayRoutes that no VirtualGateway's selectors designate")
    String gateway;

    @Option(names = "--parameter", paramLabel = "KEY=VALUE",
            description = "a CloudFormation parameter's value, or a pseudo parameter's (AWS::Region, AWS::AccountId); repeatable")
    Map<String, String> parameters = new LinkedHashMap<>();

    /** The --mesh option's value, or null. */
    public String mesh() {
        return mesh;
    }

    /**
     * The options as the importers take them.
     *
     * @throws ParameterException (exit 2) when --acm is given anything but built-in
     */
    public ImportOptions options(CommandSpec spec) {
        if (acm != null && !acm.equals("built-in")) {
            throw new ParameterException(spec.commandLine(), "--acm takes built-in, got '" + acm + "'");
        }
        return new ImportOptions(mesh, namespace, acm != null, router, parameters, gateway);
    }
}
