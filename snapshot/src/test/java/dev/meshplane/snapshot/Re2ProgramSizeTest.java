package dev.meshplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.api.validation.Re2ProgramSize;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, example 4: Meshplane's RE2 program sizes are RE2's own. A small C++ program built against
 * Debian's libre2-dev (installed by src/build/install-libre2.sh in process-test-resources) prints
 * {@code RE2(pattern, RE2::Quiet).ProgramSize()}, as Envoy measures it, for a corpus of hand-picked and
 * generated patterns (see {@link #generated}); the Java figure must equal it for every pattern, and a pattern RE2 refuses must be
 * refused too. Patterns the port declines to measure (Unicode tables) are counted, never compared loosely.
 */
class Re2ProgramSizeTest {

    static final List<String> HAND_PICKED = List.of(
            "^/api/(v1|v2)/(orders|carts|customers)/[a-z0-9-]{36}$", "", "a", "^a", "a$", "^a$", "abc", "^abc",
            "a*", "a+", "a?", "a*?", "a+?", "a??", "[a-z]", ".", ".*", "(?s).*", "(a)", "(?:a)", "a|b", "ab|cd",
            "ab|ac", "abc|abd|aef", "a|b|c|d", "[ab]|c", "^/api/", "/api/.*", "\\d", "\\D", "\\w+", "\\W", "\\s*",
            "\\S", "[^a]", "[^/]+", "é", "日本", "(?i)a", "(?i)k", "(?i)s", "(?i)abc", "(?i)[a-f0-9]+", "^$", "\\b",
            "\\B", "a\\b", "a{3}", "a{2,5}", "a{2,}", "a{0,1}", "a{0}", "a{1}", "a{,3}", "a{", "{", "a{1000}",
            "a{1001}", "(a{100}){100}", "(a{10}){10}", "[a-z0-9-]{36}", "x*y*z*", "a*a", "a*a+", "a+a*", "aa*", "a?a",
            "a*aa", "[ab]*[ab]", ".*.*", "\\C", "\\C*", "\\Qa.b\\E", "\\Q*", "\\x41", "\\x{263a}", "\\x{10FFFF}",
            "\\101", "\\0", "\\8", "\\z", "\\A", "\\pL", "\\p{Greek}", "[[:alpha:]]", "[[:^alpha:]]", "[[:word:]]+",
            "[[:foo:]]", "[\\d\\s]", "[^\\d]", "[a-]", "[-a]", "[]a]", "[^]a]", "[a-z&&b]", "[z-a]", "(", ")",
            "a**", "a*+", "a++", "(?:a*)*", "(?:a+)?", "(a*)*", "(a|)", "(|a)", "()", "(?i)(?-i)a", "(?i:a)b",
            "(?P<name>a)", "(?P<n>a)(?P<m>b)", "(?P<>a)", "(?<name>a)", "(?m)^a$", "(?U)a*", "(?U)a*?", "a.b",
            "[\\x00-\\x{10FFFF}]", "[^\\n]", "[\\x80-\\x{10FFFF}]", "[\\x{100}-\\x{FFFF}]", "[\\x{800}-\\x{1000}]",
            "[\\x{10000}-\\x{10FFFF}]", "[é-ü]", "[α-ω]+", "\\.", "\\/", "\\-", "/users/[0-9]+/orders/[0-9]+",
            "^/v[0-9]+/.*\\.json$", "^(GET|POST|PUT)$", "^Bearer [A-Za-z0-9._~+/-]+=*$", "^.*\\.(css|js|png|jpg)$",
            "^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$", "^premium$", "^(premium|gold)$",
            "^/api/v[12]/", "^/$", "^/health(z)?$", "^(foo|foobar|foobaz)$", "^(a|ab|abc|abcd)$",
            "^(x[0-9]|y[0-9]|z[0-9])$", "(?i)^/API/", "^\\w+@\\w+\\.com$", "(\\d+)-(\\d+)", "a|a", "a|.", ".|a",
            "[a-c]|[b-d]|e", "\\ba\\b|\\bb\\b", "^a|^b", "a$|b$", "(?:^a|^b)c", "x{2}y|x{2}z", "x{2,3}y|x{2,3}z",
            "ab*|ac*", "(?i)ab|(?i)ac", "((a))", "((((a))))", "(((((^a)))))", "((((a$))))", "^^a", "a$$", "\\A\\Aab",
            "a\\z\\z", "(?s:.)", "(?s:.)+", ".+", ".?", ".{3}", "[^a-z]{2,4}", "\\x{FFFD}", "[\\x{D7FF}-\\x{E000}]");

    @TempDir
    Path work;

    @Test
    void javaSizesAreRe2Sizes() throws Exception {
        Path binary = buildMeasurer();
        List<String> corpus = new ArrayList<>(HAND_PICKED);
        corpus.addAll(generated(800, 12));
        List<String> expected = measureWithRe2(binary, corpus);
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        int declined = 0;
        for (int i = 0; i < corpus.size(); i++) {
            String actual;
            try {
                actual = String.valueOf(Re2ProgramSize.of(corpus.get(i)));
            } catch (Re2ProgramSize.SyntaxError e) {
                actual = "ERR";
            } catch (Re2ProgramSize.Unmeasurable e) {
                declined++;
                continue;
            }
            compared++;
            if (!actual.equals(expected.get(i))) {
                mismatches.add("'" + corpus.get(i) + "': RE2 " + expected.get(i) + ", Java " + actual);
            }
        }
        System.out.println("RE2 program sizes compared: " + compared + ", declined (Unicode tables): " + declined);
        assertThat(mismatches).isEmpty();
        assertThat(compared).isGreaterThan(900);
        assertThat(declined).as("\\p classes and case-insensitive non-ASCII letters only").isLessThan(corpus.size() / 10);
    }

    /** Random compositions of what App Mesh path, header and metadata regexes are made of. */
    static List<String> generated(int count, long seed) {
        Random random = new Random(seed);
        List<String> patterns = new ArrayList<>();
        while (patterns.size() < count) {
            String p = (random.nextInt(4) == 0 ? "^" : "") + expression(random, 3) + (random.nextInt(4) == 0 ? "$" : "");
            patterns.add(random.nextInt(12) == 0 ? "(?i)" + p : p);
        }
        return patterns;
    }

    private static final String[] ATOMS = {"a", "b", "api", "/", "v1", "v2", "-", "orders", "order", "carts", "\\.",
        "[a-z]", "[a-z0-9-]", "[^/]", "\\d", "\\w", "\\s", "[[:alpha:]]", ".", "é", "日", "[0-9a-f]", "x", "xy", "\\b",
        "\\Qa.b\\E", "[[:^upper:]]", "[^\\x00-\\x7F]", "\\C", "ß", "[\\x{800}-\\x{FFFF}]", "(?s:.)", "\\x{1F600}", "[]a]",
        "\\B", "\\W", "[\\d_-]", "(?U:a+)", "(?P<id>[0-9]+)"};
    private static final String[] QUANTIFIERS = {"", "", "", "*", "+", "?", "{2}", "{1,3}", "{2,}", "*?", "+?", "{0,2}"};

    private static String expression(Random random, int depth) {
        StringBuilder out = new StringBuilder();
        int parts = 1 + random.nextInt(4);
        for (int i = 0; i < parts; i++) {
            String atom;
            int kind = depth == 0 ? 0 : random.nextInt(5);
            if (kind == 3) {
                atom = "(" + expression(random, depth - 1) + "|" + expression(random, depth - 1) + ")";
            } else if (kind == 4) {
                atom = "(?:" + expression(random, depth - 1) + ")";
            } else {
                atom = ATOMS[random.nextInt(ATOMS.length)];
            }
            String quantifier = QUANTIFIERS[random.nextInt(QUANTIFIERS.length)];
            if (!quantifier.isEmpty() && atom.length() > 1 && !atom.startsWith("(") && !atom.startsWith("[")
                    && !atom.startsWith("\\")) {
                atom = "(?:" + atom + ")";
            }
            out.append(atom).append(atom.equals("\\b") ? "" : quantifier);
        }
        return out.toString();
    }

    private Path buildMeasurer() throws IOException, InterruptedException {
        assertThat(Path.of("/usr/include/re2/re2.h")).as("libre2-dev (src/build/install-libre2.sh installs it)").exists();
        Path source = work.resolve("program_size.cc");
        try (InputStream in = getClass().getResourceAsStream("/re2/program_size.cc")) {
            Files.copy(in, source);
        }
        Path binary = work.resolve("program_size");
        Process gcc = new ProcessBuilder("g++", "-O1", "-o", binary.toString(), source.toString(), "-lre2")
                .redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gcc.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(gcc.exitValue()).as(output).isZero();
        return binary;
    }

    private static List<String> measureWithRe2(Path binary, List<String> corpus) throws IOException, InterruptedException {
        StringBuilder input = new StringBuilder();
        for (String pattern : corpus) {
            input.append(HexFormat.of().formatHex(pattern.getBytes(StandardCharsets.UTF_8))).append('\n');
        }
        Path in = binary.resolveSibling("patterns.txt");
        Files.writeString(in, input);
        Process run = new ProcessBuilder(binary.toString()).redirectInput(in.toFile()).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> sizes = output.lines().toList();
        assertThat(sizes).hasSize(corpus.size());
        return sizes;
    }
}
