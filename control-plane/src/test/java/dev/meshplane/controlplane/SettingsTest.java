package dev.meshplane.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshplane.MeshplaneApplication;
import dev.meshplane.controlplane.auth.Authenticator;
import dev.meshplane.controlplane.settings.UnknownSettings;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Every row of the README's configuration table takes effect: the application is started with its
 * defaults, and the value each setting is bound to (read from the object that uses it, not from the
 * environment) is the documented default. Settings the test must override to run here (ports, data
 * and key files) are checked twice: the object holds the override, and the application's own
 * configuration without the command line binds the documented default. Every {@code meshplane.*}
 * setting the server knows has a row, and a misspelt one stops start-up naming the nearest.
 */
class SettingsTest {

    @TempDir
    static Path work;

    private static ConfigurableApplicationContext application;

    /** What the test passes on the command line, and why: it cannot take these defaults on a shared machine. */
    private static final Map<String, String> OVERRIDDEN = new LinkedHashMap<>();

    /** Settings whose effective value is decided in code from others (the README says how). */
    private static final Map<String, java.util.function.Function<ConfigurableApplicationContext, Object>> DECIDED = Map.of(
            "meshplane.security.authentication",
            context -> context.getBean(Authenticator.class).enabled() ? "enabled" : "disabled");

    /** Settings that no bound object holds: Spring Boot's logging system reads them from the environment. */
    private static final List<String> READ_FROM_ENVIRONMENT = List.of("logging.structured.format.console");

    @BeforeAll
    static void start() {
        OVERRIDDEN.put("server.port", "0");
        OVERRIDDEN.put("meshplane.xds.port", "0");
        OVERRIDDEN.put("meshplane.database.embedded.data-dir", work.resolve("postgres").toString());
        OVERRIDDEN.put("meshplane.security.key-file", work.resolve("key-encryption.key").toString());
        application = new SpringApplicationBuilder(MeshplaneApplication.class).run(OVERRIDDEN.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (application != null) {
            application.close();
        }
    }

    /** A row of the README's table: one setting (a row naming several gives several) and its documented default. */
    record Row(String name, String documented) {

        /** The default as written: the first {@code `literal`} of the column, or null where it says "unset". */
        String literal() {
            if (documented.startsWith("unset")) {
                return null;
            }
            Matcher literal = Pattern.compile("`([^`]*)`").matcher(documented);
            return literal.find() ? literal.group(1) : documented.strip();
        }
    }

    static List<Row> readmeRows() throws IOException {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(Files.exists(readme) ? readme : Path.of("README.md"));
        String table = text.substring(text.indexOf("## Configuration"), text.indexOf("\n## ", text.indexOf("## Configuration") + 1));
        List<Row> rows = new ArrayList<>();
        Pattern line = Pattern.compile("^\\| (`[^|]*`) \\| ([^|]*) \\|", Pattern.MULTILINE);
        Matcher m = line.matcher(table);
        while (m.find()) {
            Matcher names = Pattern.compile("`([^`]+)`").matcher(m.group(1));
            String first = null;
            while (names.find()) {
                String name = names.group(1);
                if (first == null) {
                    first = name;
                } else if (name.startsWith(".")) { // `a.b.c`, `.d`: a sibling of a.b.c
                    name = first.substring(0, first.lastIndexOf('.')) + name;
                }
                rows.add(new Row(name, m.group(2).strip()));
            }
        }
        return rows;
    }

    @Test
    void everyDocumentedSettingIsBoundToItsDocumentedDefault() throws Exception {
        List<Row> rows = readmeRows();
        assertThat(rows).as("rows read from the README's configuration table").hasSizeGreaterThan(30);
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            Object live = effective(row.name()).orElseThrow(() -> new AssertionError("README documents '" + row.name()
                    + "', but no object of the running application is bound to it"));
            if (OVERRIDDEN.containsKey(row.name())) {
                compare(row.name() + " (as overridden)", OVERRIDDEN.get(row.name()), live, wrong);
                compare(row.name(), row.literal(), defaultWithoutCommandLine(row.name()), wrong);
            } else {
                compare(row.name(), row.literal(), live, wrong);
            }
        }
        assertThat(wrong).as("settings whose bound value is not what the README says").isEmpty();
    }

    @Test
    void everyMeshplaneSettingTheServerKnowsHasARow() throws Exception {
        TreeSet<String> documented = readmeRows().stream().map(Row::name).collect(Collectors.toCollection(TreeSet::new));
        List<String> known = new ArrayList<>();
        for (var bean : ConfigurationPropertiesBean.getAll(application).values()) {
            String prefix = bean.getAnnotation().prefix();
            if (prefix.startsWith("meshplane.")) {
                names(prefix, bean.getInstance().getClass(), known);
            }
        }
        assertThat(known).as("the settings found in the application's bound objects").hasSizeGreaterThan(30);
        assertThat(known).as("meshplane settings missing from the README's configuration table")
                .allMatch(documented::contains);
    }

    @Test
    void aMisspeltSettingStopsStartUpNamingItsSourceAndTheNearestKnownSetting() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(MeshplaneApplication.class).run("--server.port=0",
                "--meshplane.xds.port=0", "--meshplane.xds.debouce=5ms",
                "--meshplane.database.embedded.data-dir=" + work.resolve("never-started")))
                .hasMessageContaining("'meshplane.xds.debouce'")
                .hasMessageContaining("from the command-line argument --meshplane.xds.debouce")
                .hasMessageContaining("did you mean 'meshplane.xds.debounce'?");
        assertThat(work.resolve("never-started")).as("nothing was started").doesNotExist();
    }

    @Test
    void settingsAreComparedAsTheBinderSeesThemWhateverTheirSpelling() {
        assertThat(check(Map.of("meshplane.xds.drainWindow", "1s", "meshplane.limits.meshes", "3",
                "meshplane.xds.tls.built-in", "true"))).isNull();
        assertThat(check(Map.of("meshplane.limit.meshes", "3"))).contains("'meshplane.limit.meshes'")
                .contains("did you mean 'meshplane.limits.meshes'?");
        for (String variable : List.of("MESHPLANE_XDS_RESYNCINTERVAL", "MESHPLANE_XDS_RESYNC_INTERVAL",
                "MESHPLANE_APPMESH_ACCOUNT_ID", "MESHPLANE_DATABASE_EMBEDDED_DATA_DIR", "MESHPLANE_XDS_DRAIN_WINDOW",
                "MESHPLANE_SECURITY_KEY_ENCRYPTION_KEY", "MESHPLANE_XDS_TLS_BUILT_IN")) {
            // both of Spring Boot's spellings, and the ones the README, the Dockerfile, the chart and compose use
            assertThat(checkEnvironmentVariable(variable, "5s")).as(variable).isNull();
        }
        assertThat(checkEnvironmentVariable("MESHPLANE_XDS_RESYNC_INTERVALL", "5s"))
                .contains("'meshplane.xds.resync.intervall' from the environment variable MESHPLANE_XDS_RESYNC_INTERVALL")
                .contains("did you mean 'meshplane.xds.resync-interval'?");
        assertThat(check(Map.of("meshplanes.xds.port", "1", "spring.whatever", "x")))
                .as("only the meshplane namespace is checked").isNull();
    }

    /** Every MESHPLANE_* variable the shipped deployment files give the server starts it (the demo's setup script's aside). */
    @Test
    void theDeploymentFilesEnvironmentVariablesAreSettingsTheServerKnows() throws IOException {
        Path root = Files.exists(Path.of("..", "Dockerfile")) ? Path.of("..") : Path.of(".");
        List<Path> files = new ArrayList<>(List.of(root.resolve("Dockerfile"), root.resolve("docker-compose.yml"),
                root.resolve("README.md"), root.resolve("docs/operations.md")));
        try (var templates = Files.walk(root.resolve("helm"))) {
            templates.filter(Files::isRegularFile).forEach(files::add);
        }
        TreeSet<String> variables = new TreeSet<>();
        for (Path file : files) {
            Matcher m = Pattern.compile("\\bMESHPLANE_[A-Z0-9_]+").matcher(Files.readString(file));
            while (m.find()) {
                variables.add(m.group());
            }
        }
        variables.remove("MESHPLANE_URL"); // the compose demo's setup container: where to reach the server
        assertThat(variables).as("variables found").contains("MESHPLANE_XDS_DRAIN_WINDOW", "MESHPLANE_APPMESH_ACCOUNT_ID");
        List<String> refused = variables.stream().filter(v -> checkEnvironmentVariable(v, "1") != null)
                .map(v -> v + ": " + checkEnvironmentVariable(v, "1")).toList();
        assertThat(refused).as("variables of the deployment files that would stop start-up").isEmpty();
    }

    private static String check(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.addFirst(new MapPropertySource("test", properties));
        return run(environment);
    }

    private static String checkEnvironmentVariable(String name, String value) {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of(name, value)));
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        return run(environment);
    }

    private static String run(StandardEnvironment environment) {
        try {
            new UnknownSettings().postProcessEnvironment(environment, new SpringApplication(MeshplaneApplication.class));
            return null;
        } catch (IllegalStateException refused) {
            return refused.getMessage();
        }
    }

    /** The value the running application holds for a setting: from the bound object that has it. */
    private static Optional<Object> effective(String name) {
        if (DECIDED.containsKey(name)) {
            return Optional.of(DECIDED.get(name).apply(application));
        }
        if (READ_FROM_ENVIRONMENT.contains(name)) {
            return Optional.of(Optional.ofNullable((Object) application.getEnvironment().getProperty(name)));
        }
        String pool = "spring.datasource.hikari.";
        if (name.startsWith(pool)) {
            // the pool the server wraps (GatedDataSource), so Boot's list of bound beans no longer shows it
            return navigate(hikari(), name.substring(pool.length()));
        }
        return ConfigurationPropertiesBean.getAll(application).values().stream()
                .filter(bean -> name.startsWith(bean.getAnnotation().prefix() + "."))
                .sorted(Comparator.comparingInt((ConfigurationPropertiesBean b) -> -b.getAnnotation().prefix().length()))
                .map(bean -> navigate(bean.getInstance(), name.substring(bean.getAnnotation().prefix().length() + 1)))
                .flatMap(Optional::stream).findFirst();
    }

    /** The server's connection pool, behind its gate. */
    private static com.zaxxer.hikari.HikariDataSource hikari() {
        try {
            return application.getBean(javax.sql.DataSource.class).unwrap(com.zaxxer.hikari.HikariDataSource.class);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The documented default of an overridden setting: what the application's own configuration
     * (application.yml and the code's defaults), without the command line, binds it to.
     */
    private static Object defaultWithoutCommandLine(String name) {
        MutablePropertySources sources = new MutablePropertySources(application.getEnvironment().getPropertySources());
        sources.remove("commandLineArgs");
        sources.remove("configurationProperties"); // the view over every source, the command line included
        Binder binder = new Binder(ConfigurationPropertySources.from(sources));
        ConfigurationPropertiesBean owner = ConfigurationPropertiesBean.getAll(application).values().stream()
                .filter(bean -> name.startsWith(bean.getAnnotation().prefix() + ".")
                        && navigate(bean.getInstance(), name.substring(bean.getAnnotation().prefix().length() + 1)).isPresent())
                .findFirst().orElseThrow();
        Object defaults = binder.bindOrCreate(owner.getAnnotation().prefix(), owner.getInstance().getClass());
        return navigate(defaults, name.substring(owner.getAnnotation().prefix().length() + 1)).orElseThrow();
    }

    /** The property at a kebab-case dotted path of a record or JavaBean; empty when it has no such property. */
    private static Optional<Object> navigate(Object target, String path) {
        Object current = target;
        for (String segment : path.split("\\.")) {
            if (current instanceof Optional<?> optional) {
                current = optional.orElse(null);
            }
            if (current == null) {
                return Optional.empty();
            }
            String property = camel(segment);
            Optional<Object> next = read(current, property);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            current = next.get();
        }
        return Optional.of(current instanceof Optional<?> o ? o : Optional.ofNullable(current));
    }

    private static Optional<Object> read(Object target, String property) {
        try {
            if (target.getClass().isRecord()) {
                for (RecordComponent component : target.getClass().getRecordComponents()) {
                    if (component.getName().equals(property)) {
                        Method accessor = component.getAccessor();
                        accessor.setAccessible(true);
                        return Optional.of(Optional.ofNullable(accessor.invoke(target)));
                    }
                }
                return Optional.empty();
            }
            if (target instanceof Map<?, ?> map) { // e.g. data-source-properties: keys as written
                return map.containsKey(property) ? Optional.of(Optional.ofNullable(map.get(property))) : Optional.empty();
            }
            BeanWrapperImpl bean = new BeanWrapperImpl(target);
            return bean.isReadableProperty(property) ? Optional.of(Optional.ofNullable(bean.getPropertyValue(property)))
                    : Optional.empty();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String camel(String kebab) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** Compares a documented literal (null: unset) with a bound value, converting the literal to the value's type. */
    private static void compare(String what, String literal, Object bound, List<String> wrong) {
        Object value = bound instanceof Optional<?> optional ? optional.orElse(null) : bound;
        if (literal == null) {
            if (value != null && !(value instanceof String s && s.isEmpty())) {
                wrong.add(what + ": README says unset, bound to " + value);
            }
            return;
        }
        if (value == null) {
            wrong.add(what + ": README says " + literal + ", bound to nothing (null)");
            return;
        }
        Object expected = value instanceof Path ? Path.of(literal)
                : ApplicationConversionService.getSharedInstance().convert(literal, value.getClass());
        if (!Objects.equals(expected, value)) {
            wrong.add(what + ": README says " + literal + ", bound to " + value);
        }
    }

    /** The settings of a properties class, by walking its record components (nested records included). */
    private static void names(String prefix, Class<?> type, List<String> out) {
        if (!type.isRecord()) {
            return;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            String name = prefix + "." + component.getName().replaceAll("([A-Z])", "-$1").toLowerCase();
            if (component.getType().isRecord()) {
                names(name, component.getType(), out);
            } else {
                out.add(name);
            }
        }
    }
}
