package dev.meshplane.controlplane.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.ConfigurableEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stops start-up when a {@code meshplane.*} setting is not one the server knows, naming it, where it
 * came from, and the nearest known setting ("did you mean"): a misspelt setting would otherwise be
 * bound to nothing and silently leave its default in force.
 *
 * <p>The known settings are those of the configuration metadata that Spring Boot's configuration
 * processor writes for every {@code @ConfigurationProperties} class at build time
 * ({@code META-INF/spring-configuration-metadata.json} in each of Meshplane's jars, plus
 * {@code additional-spring-configuration-metadata.json} for settings read without such a class).
 * Names are compared in Spring's canonical form, so {@code meshplane.xds.drainWindow},
 * {@code meshplane.xds.drain-window} and {@code MESHPLANE_XDS_DRAINWINDOW} are one setting, as the
 * binder sees them. The command line's variables {@code MESHPLANE_ENDPOINT} and {@code MESHPLANE_TOKEN} are
 * not settings and pass. Runs after the configuration files are loaded (lowest precedence).
 */
public class UnknownSettings implements EnvironmentPostProcessor, Ordered {

    static final String PREFIX = "meshplane";
    // the meshplane command line's own variables (its --endpoint and --token), often exported in the shell that
    // starts the server too: not settings, so not refused
    private static final Set<String> COMMAND_LINE_VARIABLES = Set.of("MESHPLANE_ENDPOINT", "MESHPLANE_TOKEN");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Known known = Known.fromClasspath(application.getClassLoader() != null ? application.getClassLoader()
                : UnknownSettings.class.getClassLoader());
        List<String> problems = new ArrayList<>();
        ConfigurationPropertyName root = ConfigurationPropertyName.of(PREFIX);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            Set<String> bound = known.boundIn(iterable);
            iterable.stream().filter(name -> root.isAncestorOf(name) && !known.covers(name)
                    && !bound.contains(written(iterable, name))
                    && !COMMAND_LINE_VARIABLES.contains(written(iterable, name))).forEach(name ->
                    problems.add("'" + name + "' " + origin(source, name)
                            + known.nearest(name).map(n -> " (did you mean '" + n + "'?)").orElse("")));
        }
        if (!problems.isEmpty()) {
            Collections.sort(problems);
            throw new IllegalStateException("Unknown Meshplane setting" + (problems.size() > 1 ? "s: " : ": ")
                    + String.join("; ", problems) + ". The settings are listed in the README's configuration table.");
        }
    }

    /** The name as the source holds it (an environment variable's own name), or null when the source does not say. */
    private static String written(ConfigurationPropertySource source, ConfigurationPropertyName name) {
        var property = source.getConfigurationProperty(name);
        return property != null && property.getOrigin() instanceof PropertySourceOrigin named ? named.getPropertyName() : null;
    }

    /** Where a setting came from, in the user's terms: the argument, variable or file line that set it. */
    private static String origin(ConfigurationPropertySource source, ConfigurationPropertyName name) {
        var property = source.getConfigurationProperty(name);
        Origin origin = property == null ? null : property.getOrigin();
        if (origin instanceof PropertySourceOrigin named) {
            String written = named.getPropertyName();
            return switch (named.getPropertySource().getName()) {
                case "commandLineArgs" -> "from the command-line argument --" + written;
                case StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME -> "from the environment variable " + written;
                case StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME -> "from the system property -D" + written;
                default -> "from " + named.getPropertySource().getName();
            };
        }
        return origin != null ? "from " + origin : "from " + source.getUnderlyingSource();
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /**
     * The settings named in the configuration metadata on the classpath.
     *
     * @param names settings by their canonical name
     * @param maps  settings whose value is a map: any name below them is theirs
     */
    record Known(Set<ConfigurationPropertyName> names, Set<ConfigurationPropertyName> maps) {

        private static final JsonMapper JSON = JsonMapper.builder().build();

        static Known fromClasspath(ClassLoader loader) {
            Set<ConfigurationPropertyName> names = new TreeSet<>();
            Set<ConfigurationPropertyName> maps = new TreeSet<>();
            for (String resource : List.of("META-INF/spring-configuration-metadata.json",
                    "META-INF/additional-spring-configuration-metadata.json")) {
                try {
                    for (URL url : Collections.list(loader.getResources(resource))) {
                        try (InputStream in = url.openStream()) {
                            for (JsonNode property : JSON.readTree(in).path("properties")) {
                                ConfigurationPropertyName name = ConfigurationPropertyName.adapt(
                                        property.path("name").asString(), '.');
                                names.add(name);
                                if (property.path("type").asString("").startsWith("java.util.Map")) {
                                    maps.add(name);
                                }
                            }
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("reading " + resource, e);
                }
            }
            return new Known(names, maps);
        }

        /**
         * The names, as this source holds them, that the binder binds to a known setting. Environment
         * variables have two spellings per setting ({@code MESHPLANE_XDS_DRAINWINDOW} and
         * {@code MESHPLANE_XDS_DRAIN_WINDOW}, Spring Boot's mapping): asking the source for each known
         * setting finds both, as the binder would.
         */
        Set<String> boundIn(ConfigurationPropertySource source) {
            Set<String> bound = new TreeSet<>();
            for (ConfigurationPropertyName name : names) {
                String written = written(source, name);
                if (written != null) {
                    bound.add(written);
                }
            }
            return bound;
        }

        boolean covers(ConfigurationPropertyName name) {
            return names.contains(name) || maps.stream().anyMatch(map -> map.isAncestorOf(name));
        }

        /** The known Meshplane setting closest to this name (Levenshtein distance), if one is close enough. */
        Optional<String> nearest(ConfigurationPropertyName name) {
            String text = name.toString();
            LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
            return names.stream().map(ConfigurationPropertyName::toString).filter(n -> n.startsWith(PREFIX + "."))
                    .min(Comparator.comparingInt((String n) -> distance.apply(n, text)).thenComparing(n -> n))
                    .filter(n -> distance.apply(n, text) <= Math.max(3, text.length() / 3));
        }
    }
}
