package dev.meshplane.cli.convert;

import dev.meshplane.api.importing.ImportException;
import dev.meshplane.api.importing.SourceDocument;
import dev.meshplane.api.importing.YamlDocuments;
import dev.meshplane.cli.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The documents of the files, folders (their .yaml, .yml and .json files, in name order) or standard input named.
 * A folder's files must lie within it: a symbolic link out of it is refused (name its target to read it).
 */
public final class InputFiles {

    private InputFiles() {
    }

    /**
     * Parses every document of every input.
     *
     * @throws InvalidInputException when a file is not YAML or JSON, a folder holds no such file, or one of its
     *         files is a symbolic link to outside it
     * @throws IOException when a file cannot be read
     */
    public static List<SourceDocument> read(List<String> inputs) throws IOException {
        List<SourceDocument> documents = new ArrayList<>();
        for (String input : inputs) {
            if (input.equals("-")) {
                documents.addAll(parse("<stdin>", new String(System.in.readAllBytes(), StandardCharsets.UTF_8)));
                continue;
            }
            Path path = Path.of(input);
            if (Files.isDirectory(path)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(path)) {
                    files = walk.filter(Files::isRegularFile)
                            .filter(f -> f.getFileName().toString().matches(".*\\.(ya?ml|json)"))
                            .sorted().toList();
                }
                if (files.isEmpty()) {
                    throw new InvalidInputException(input + ": the folder holds no .yaml, .yml or .json file");
                }
                Path root = path.toRealPath();
                for (Path file : files) {
                    // a link in a checked-out folder must not make a pipeline read (and send) a file from elsewhere
                    if (!file.toRealPath().startsWith(root)) {
                        throw new InvalidInputException(file + ": a symbolic link to " + file.toRealPath()
                                + ", outside the folder " + input + "; name that file itself to read it");
                    }
                    documents.addAll(parse(file.toString(), Files.readString(file)));
                }
            } else {
                documents.addAll(parse(input, Files.readString(path)));
            }
        }
        return documents;
    }

    private static List<SourceDocument> parse(String source, String text) {
        try {
            return YamlDocuments.parse(source, text);
        } catch (ImportException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }
}
