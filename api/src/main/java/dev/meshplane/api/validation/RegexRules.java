package dev.meshplane.api.validation;

/**
 * The regexes Envoy and gRPC evaluate with RE2, as Envoy loads them: RE2 must accept the syntax, and the
 * program size (measured by {@link Re2ProgramSize}) must not exceed the runtime's
 * {@code re2.max_program_size.error_level} (source/common/common/regex.cc: "RE2 program size of {} > max
 * program size of {} set for the error level threshold"), or Envoy refuses the whole route configuration
 * or listener. Envoy's default is 100; App Mesh's Envoy image (amazon-ecs-service-connect-agent,
 * agent/envoy_bootstrap/envoy_bootstrap.go, static runtime layer) and the bootstraps Meshplane generates
 * set {@value #MAX_PROGRAM_SIZE}, which is the limit applied here (docs/xds.md, "Regexes").
 */
public final class RegexRules {

    /** The {@code re2.max_program_size.error_level} of every proxy Meshplane supports. */
    public static final int MAX_PROGRAM_SIZE = 1000;

    private RegexRules() {
    }

    /** What is wrong with the regex for Envoy, or null when RE2 accepts it within the limit. */
    public static String problem(String regex) {
        int size;
        try {
            size = Re2ProgramSize.of(regex);
        } catch (Re2ProgramSize.SyntaxError e) {
            return "is not a valid RE2 regular expression: " + e.getMessage();
        } catch (Re2ProgramSize.Unmeasurable e) {
            return "cannot be checked against Envoy's RE2 program size limit: " + e.getMessage();
        }
        // grpc-java evaluates route regexes with re2j, whose syntax is RE2's but for a few forms (\C)
        try {
            com.google.re2j.Pattern.compile(regex);
        } catch (com.google.re2j.PatternSyntaxException e) {
            return "is not a valid RE2 regular expression: " + e.getDescription();
        }
        if (size > MAX_PROGRAM_SIZE) {
            return "RE2 program size " + size + " is over Envoy's limit of " + MAX_PROGRAM_SIZE
                    + " (re2.max_program_size.error_level); simplify the regex, for example with fewer"
                    + " alternatives or counted repetitions, or split the route";
        }
        return null;
    }
}
