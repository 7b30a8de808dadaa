package dev.meshplane.cli.server;

import dev.meshplane.api.importing.ImportException;
import dev.meshplane.api.importing.ImportResult;
import dev.meshplane.api.importing.Imports;
import dev.meshplane.cli.InvalidInputException;
import dev.meshplane.cli.convert.ImportChoices;
import dev.meshplane.cli.convert.InputFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

/**
 * What {@code apply} and {@code diff} share: the files are imported here (so a refusal names the file and
 * document), the notes go to standard error, the document goes to {@code POST /v1/apply}, and the plan comes back.
 */
final class PlanRun {

    // the server's refusal of item i: "BadRequestException (400): resources[i] (route 'x' ...): ..."
    private static final Pattern ITEM = Pattern.compile("^([A-Za-z]+ \\(\\d+\\): )resources\\[(\\d+)]");

    private PlanRun() {
    }

    /**
     * Imports the files and applies them (or plans, with {@code dryRun}).
     *
     * @return the server's plan ({@code {"dryRun", "prune", "plan": [...], "notes"}})
     * @throws InvalidInputException naming the file, document and field of input the importers refuse
     * @throws ServerException when the server refuses (its message naming the file and document the resource
     *         was read from) or cannot answer
     */
    static JsonNode run(CommandSpec spec, ServerClient client, List<String> files, ImportChoices choices, boolean dryRun,
            boolean prune) throws IOException {
        ImportResult imported;
        try {
            imported = Imports.read(InputFiles.read(files), choices.options(spec));
        } catch (ImportException e) {
            throw new InvalidInputException(e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        imported.report().forEach(line -> err.println("meshplane: note: " + line));
        err.flush();
        try {
            return client.send("POST", "/v1/apply?dryRun=" + dryRun + "&prune=" + prune, imported.document().toJsonText());
        } catch (ServerException e) {
            // the server names a position in the converted document; the user knows the file and document it came
            // from, so that takes the position's place, as the server's own YAML refusals name "request body#i"
            Matcher item = ITEM.matcher(e.getMessage());
            if (item.find() && Integer.parseInt(item.group(2)) < imported.sources().size()) {
                throw new ServerException(e.exitCode(), item.group(1) + imported.sources().get(Integer.parseInt(item.group(2)))
                        + e.getMessage().substring(item.end()));
            }
            throw e;
        }
    }

    /**
     * Prints the plan: one line per resource, its field changes indented under it ("would create ..." for a dry run,
     * which changed nothing; "created ..." once applied); or the answer as JSON.
     */
    static void print(PrintWriter out, JsonNode result, boolean json, boolean changesOnly) {
        if (json) {
            out.println(ServerClient.pretty(result));
            out.flush();
            return;
        }
        for (JsonNode entry : result.path("plan")) {
            String action = entry.path("action").asString();
            if (changesOnly && action.equals("unchanged")) {
                continue;
            }
            String parent = entry.path("parentName").isString() ? " of '" + entry.path("parentName").asString() + "'" : "";
            String kind = entry.path("kind").asString();
            // a mesh is its own mesh: "created Mesh 'm' in mesh 'm'" said it twice
            String mesh = kind.equals("Mesh") ? "" : " in mesh '" + entry.path("meshName").asString() + "'";
            out.println(verb(action, result.path("dryRun").asBoolean()) + " " + kind + " '" + entry.path("name").asString()
                    + "'" + parent + mesh);
            for (JsonNode change : entry.path("changes")) {
                out.println("    " + change.path("path").asString() + ": " + value(change, "oldValue") + " -> "
                        + value(change, "newValue"));
            }
        }
        out.flush();
    }

    /** Whether the plan changes anything. */
    static boolean changes(JsonNode result) {
        for (JsonNode entry : result.path("plan")) {
            if (!entry.path("action").asString().equals("unchanged")) {
                return true;
            }
        }
        return false;
    }

    /** The plan's action as a dry run says it: the server names what was or would be done alike (created, ...). */
    private static String verb(String action, boolean dryRun) {
        if (!dryRun) {
            return action;
        }
        return switch (action) {
            case "created" -> "would create";
            case "updated" -> "would update";
            case "deleted" -> "would delete";
            default -> action;
        };
    }

    private static String value(JsonNode change, String member) {
        return change.has(member) ? change.get(member).toString() : "(absent)";
    }
}
