package dev.meshplane.cli.migrate;

import dev.meshplane.cli.InvalidInputException;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rewrites an ECS task definition (the JSON {@code aws ecs register-task-definition --cli-input-json}
 * takes) whose Envoy runs the stock App Mesh image so that the same image reaches Meshplane, and
 * leaves everything else as it was. The image's agent (aws/amazon-ecs-service-connect-agent,
 * agent/envoy_bootstrap/envoy_bootstrap.go) already does the rest once told:
 * <ul>
 * <li>{@code APPMESH_XDS_ENDPOINT}: where xDS is ({@code getRegionalXdsEndpoint} takes it over App Mesh's
 * regional endpoint); the channel is TLS trusting {@code /etc/pki/tls/cert.pem} and signs with SigV4
 * ({@code buildRegionalAdsGrpcService}), so:</li>
 * <li>{@code /etc/pki/tls/cert.pem} must hold Meshplane's xDS CA: a task volume mounted there, filled by
 * a short-lived container of the same image that copies the image's own {@code /etc/pki/tls} and
 * appends the CA ({@code MESHPLANE_XDS_CA_BASE64}, base64 of {@code GET /v1/xds/ca}); Envoy waits for
 * it ({@code dependsOn SUCCESS});</li>
 * <li>{@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}: the node's proxy access key, which
 * Envoy's credential chain reads before the task role, and signs with for service {@code appmesh};</li>
 * <li>{@code AWS_REGION}, when given: the region the signature is for, which must be Meshplane's
 * ({@code meshplane.appmesh.region}).</li>
 * </ul>
 * The secrets come from one Secrets Manager secret (JSON keys {@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}, {@code MESHPLANE_XDS_CA_BASE64}) as ECS {@code secrets}, or, without a
 * secret, as {@code ${MESHPLANE_PROXY_ACCESS_KEY_ID}}, {@code ${MESHPLANE_PROXY_SECRET_ACCESS_KEY}} and
 * {@code ${MESHPLANE_XDS_CA_BASE64}} placeholders for the deployment's templating to fill. Migrating a
 * migrated task definition changes nothing more.
 */
public final class EcsTaskDefinitionMigration {

    /** The task volume mounted at /etc/pki/tls in Envoy, and the container that fills it. */
    public static final String CA_VOLUME = "meshplane-xds-ca";
    public static final String CA_CONTAINER = "meshplane-xds-ca";
    /** The node id variables the agent reads, in its order ({@code getNodeId}). */
    static final List<String> NODE_ID_VARIABLES = List.of("APPMESH_RESOURCE_ARN", "APPMESH_RESOURCE_NAME", "APPMESH_VIRTUAL_NODE_NAME");
    private static final String CA_COPY_PATH = "/meshplane-tls";
    // the image's own bundle first (its other TLS keeps working), then Meshplane's CA
    private static final String CA_SCRIPT = "cp -RL /etc/pki/tls/. " + CA_COPY_PATH + "/ && echo >> " + CA_COPY_PATH
            + "/cert.pem && echo \"$MESHPLANE_XDS_CA_BASE64\" | base64 -d >> " + CA_COPY_PATH + "/cert.pem";

    /**
     * How to reach Meshplane.
     *
     * @param xdsEndpoint    {@code host:port} of Meshplane's xDS port, written as {@code APPMESH_XDS_ENDPOINT}
     * @param region         Meshplane's region, written as the Envoy's {@code AWS_REGION}; null leaves the task's
     * @param secretArn      a Secrets Manager secret ARN holding the three keys; null writes placeholders instead
     * @param envoyContainer the Envoy container's name; null finds it (proxyConfiguration, else the image)
     */
    public record Settings(String xdsEndpoint, String region, String secretArn, String envoyContainer) {
    }

    private EcsTaskDefinitionMigration() {
    }

    /**
     * The task definition rewritten for Meshplane; the input is not changed.
     *
     * @throws InvalidInputException naming the member when the input is no task definition, has no
     *         single Envoy container of the App Mesh image, or its Envoy names no node
     */
    public static ObjectNode migrate(JsonNode taskDefinition, Settings settings) {
        if (taskDefinition == null || !taskDefinition.isObject()) {
            throw new InvalidInputException("the task definition must be a JSON object (register-task-definition's input)");
        }
        if (taskDefinition.has("taskDefinition")) {
            throw new InvalidInputException("taskDefinition: this is describe-task-definition's output; pass its"
                    + " 'taskDefinition' member (jq .taskDefinition) without the read-only members ECS adds");
        }
        ObjectNode task = (ObjectNode) taskDefinition.deepCopy();
        JsonNode containers = task.get("containerDefinitions");
        if (containers == null || !containers.isArray() || containers.isEmpty()) {
            throw new InvalidInputException("containerDefinitions: missing or empty; a task definition lists its containers there");
        }
        ObjectNode envoy = envoy((ArrayNode) containers, task, settings.envoyContainer());
        // ECS's ContainerDefinition: name and image are strings; the CA container copies the image
        for (String member : List.of("name", "image")) {
            if (!envoy.path(member).isString()) {
                throw new InvalidInputException("containerDefinitions[" + indexOf((ArrayNode) containers, envoy) + "]."
                        + member + ": must be a string");
            }
        }
        String where = "containerDefinitions '" + envoy.path("name").asString() + "'";
        if (NODE_ID_VARIABLES.stream().noneMatch(name -> variable(envoy, name) != null)) {
            throw new InvalidInputException(where + ".environment: none of " + String.join(", ", NODE_ID_VARIABLES)
                    + " is set; the App Mesh image's agent names its node with one of them");
        }

        setVariable(envoy, "APPMESH_XDS_ENDPOINT", settings.xdsEndpoint());
        if (settings.region() != null) {
            setVariable(envoy, "AWS_REGION", settings.region());
        }
        setCredential(envoy, "AWS_ACCESS_KEY_ID", "MESHPLANE_PROXY_ACCESS_KEY_ID", settings.secretArn());
        setCredential(envoy, "AWS_SECRET_ACCESS_KEY", "MESHPLANE_PROXY_SECRET_ACCESS_KEY", settings.secretArn());

        ArrayNode volumes = array(task, "volumes");
        if (!contains(volumes, "name", CA_VOLUME)) {
            volumes.addObject().put("name", CA_VOLUME);
        }
        ArrayNode mounts = array(envoy, "mountPoints");
        if (!contains(mounts, "sourceVolume", CA_VOLUME)) {
            mounts.addObject().put("sourceVolume", CA_VOLUME).put("containerPath", "/etc/pki/tls").put("readOnly", true);
        }
        ArrayNode dependsOn = array(envoy, "dependsOn");
        if (!contains(dependsOn, "containerName", CA_CONTAINER)) {
            dependsOn.addObject().put("containerName", CA_CONTAINER).put("condition", "SUCCESS");
        }
        ObjectNode caContainer = caContainer(envoy, settings.secretArn());
        ArrayNode all = (ArrayNode) containers;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).path("name").asString("").equals(CA_CONTAINER)) {
                all.set(i, caContainer);
                return task;
            }
        }
        all.add(caContainer);
        return task;
    }

    /** The Envoy container: by name, else proxyConfiguration's, else the one container of the App Mesh image. */
    private static ObjectNode envoy(ArrayNode containers, ObjectNode task, String named) {
        String name = named != null ? named : task.path("proxyConfiguration").path("containerName").asString(null);
        List<ObjectNode> candidates = new java.util.ArrayList<>();
        for (JsonNode container : containers) {
            if (!container.isObject()) {
                throw new InvalidInputException("containerDefinitions: each entry must be an object");
            }
            boolean match = name != null ? name.equals(container.path("name").asString(null))
                    : container.path("image").asString("").contains("aws-appmesh-envoy");
            if (match) {
                candidates.add((ObjectNode) container);
            }
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        if (name != null) {
            throw new InvalidInputException("containerDefinitions: no container is named '" + name + "' ("
                    + (named != null ? "--envoy-container" : "proxyConfiguration.containerName") + ")");
        }
        throw new InvalidInputException("containerDefinitions: " + (candidates.isEmpty() ? "no container runs" : candidates.size()
                + " containers run") + " the App Mesh Envoy image (aws-appmesh-envoy); name the Envoy with --envoy-container");
    }

    private static ObjectNode caContainer(ObjectNode envoy, String secretArn) {
        ObjectNode container = JsonNodeFactory.instance.objectNode();
        container.put("name", CA_CONTAINER).put("image", envoy.path("image").asString()).put("essential", false).put("user", "0");
        container.putArray("entryPoint").add("sh").add("-c");
        container.putArray("command").add(CA_SCRIPT);
        if (secretArn == null) {
            container.putArray("environment").addObject().put("name", "MESHPLANE_XDS_CA_BASE64").put("value", "${MESHPLANE_XDS_CA_BASE64}");
        } else {
            container.putArray("secrets").addObject().put("name", "MESHPLANE_XDS_CA_BASE64")
                    .put("valueFrom", secretArn + ":MESHPLANE_XDS_CA_BASE64::");
        }
        container.putArray("mountPoints").addObject().put("sourceVolume", CA_VOLUME).put("containerPath", CA_COPY_PATH);
        if (envoy.has("logConfiguration")) {
            container.set("logConfiguration", envoy.get("logConfiguration").deepCopy());
        }
        return container;
    }

    /** The credential as an ECS secret reference into the secret's JSON key, or as a placeholder; never both. */
    private static void setCredential(ObjectNode container, String name, String placeholder, String secretArn) {
        if (secretArn == null) {
            remove(container, "secrets", name);
            setVariable(container, name, "${" + placeholder + "}");
        } else {
            remove(container, "environment", name);
            ArrayNode secrets = array(container, "secrets");
            ObjectNode entry = find(secrets, "name", name);
            (entry == null ? secrets.addObject().put("name", name) : entry).put("valueFrom", secretArn + ":" + name + "::");
        }
    }

    private static void setVariable(ObjectNode container, String name, String value) {
        ArrayNode environment = array(container, "environment");
        ObjectNode entry = find(environment, "name", name);
        (entry == null ? environment.addObject().put("name", name) : entry).put("value", value);
    }

    private static String variable(ObjectNode container, String name) {
        ObjectNode entry = find(container.path("environment") instanceof ArrayNode a ? a : null, "name", name);
        return entry == null || entry.path("value").asString("").isEmpty() ? null : entry.path("value").asString();
    }

    private static ArrayNode array(ObjectNode parent, String member) {
        JsonNode existing = parent.get(member);
        if (existing == null || existing.isNull()) {
            return parent.putArray(member);
        }
        if (!existing.isArray()) {
            throw new InvalidInputException((parent.path("name").isString() ? "containerDefinitions '" + parent.path("name").asString() + "'." : "")
                    + member + ": must be an array");
        }
        return (ArrayNode) existing;
    }

    private static int indexOf(ArrayNode containers, JsonNode container) {
        for (int i = 0; i < containers.size(); i++) {
            if (containers.get(i) == container) {
                return i;
            }
        }
        return -1;
    }

    private static ObjectNode find(ArrayNode array, String key, String value) {
        if (array != null) {
            for (JsonNode entry : array) {
                if (entry.isObject() && value.equals(entry.path(key).asString(null))) {
                    return (ObjectNode) entry;
                }
            }
        }
        return null;
    }

    private static boolean contains(ArrayNode array, String key, String value) {
        return find(array, key, value) != null;
    }

    private static void remove(ObjectNode container, String member, String name) {
        if (container.get(member) instanceof ArrayNode array) {
            for (int i = array.size() - 1; i >= 0; i--) {
                if (name.equals(array.get(i).path("name").asString(null))) {
                    array.remove(i);
                }
            }
        }
    }
}
