package dev.meshplane.api.registry;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.validation.IpLiterals;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Cloud Map's rules for instance registrations: names, attribute keys and values, addresses and ports. */
public final class InstanceRules {

    public static final String IPV4 = "AWS_INSTANCE_IPV4";
    public static final String IPV6 = "AWS_INSTANCE_IPV6";
    public static final String PORT = "AWS_INSTANCE_PORT";

    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9._-]{1,253}$");
    private static final Pattern INSTANCE_ID = Pattern.compile("^[0-9a-zA-Z_/:.@-]{1,64}$");
    private static final Pattern KEY = Pattern.compile("^[a-zA-Z0-9!-~]{1,255}$");

    private InstanceRules() {
    }

    public static void checkPath(String namespace, String service, String instanceId) {
        List<String> problems = new ArrayList<>();
        if (!NAME.matcher(namespace).matches()) {
            problems.add("namespaceName: must be 1 to 253 letters, digits, '.', '_' or '-', got '" + namespace + "'");
        }
        if (!NAME.matcher(service).matches()) {
            problems.add("serviceName: must be 1 to 253 letters, digits, '.', '_' or '-', got '" + service + "'");
        }
        if (instanceId != null && !INSTANCE_ID.matcher(instanceId).matches()) {
            problems.add("instanceId: must be 1 to 64 letters, digits or _/:.@-, got '" + instanceId + "'");
        }
        fail(problems);
    }

    public static void checkAttributes(Map<String, String> attributes) {
        List<String> problems = new ArrayList<>();
        attributes.forEach((key, value) -> {
            if (!KEY.matcher(key).matches()) {
                problems.add("attributes." + key + ": keys are 1 to 255 printable ASCII characters without spaces");
            }
            if (value.length() > 1024) {
                problems.add("attributes." + key + ": values are at most 1024 characters, got " + value.length());
            }
        });
        String v4 = attributes.get(IPV4);
        String v6 = attributes.get(IPV6);
        if (v4 == null && v6 == null) {
            problems.add("attributes: needs " + IPV4 + " or " + IPV6 + ", the address traffic is sent to");
        }
        String v4Problem = v4 == null ? null : IpLiterals.ipv4(v4);
        if (v4Problem != null) {
            problems.add("attributes." + IPV4 + ": " + v4Problem);
        }
        String v6Problem = v6 == null ? null : IpLiterals.ipv6(v6);
        if (v6Problem != null) {
            problems.add("attributes." + IPV6 + ": " + v6Problem);
        }
        String port = attributes.get(PORT);
        if (port != null && !validPort(port)) {
            problems.add("attributes." + PORT + ": '" + port + "' is not a port between 1 and 65535");
        }
        fail(problems);
    }

    private static boolean validPort(String port) {
        try {
            int value = Integer.parseInt(port);
            return value >= 1 && value <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void fail(List<String> problems) {
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(String.join("; ", problems));
        }
    }
}
