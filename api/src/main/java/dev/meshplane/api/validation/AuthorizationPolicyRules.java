package dev.meshplane.api.validation;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.security.AuthorizationPolicySpec;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What an authorization policy's spec must be beyond the model's constraints, for the Envoy RBAC filter it
 * becomes to load: one way to match each header, an HTTP header name, a non-empty prefix, RE2 Envoy loads
 * ({@link RegexRules}) and CIDR blocks Envoy's address parser reads ({@link IpLiterals}); and paths that can match a
 * request at all ({@link PathMatchRules}). It lives beside the other API rules so that the
 * REST handlers, declarative apply and the translator's generated-input test all run the same check.
 */
public final class AuthorizationPolicyRules {

    private static final java.util.regex.Pattern HEADER_NAME = java.util.regex.Pattern.compile("[0-9A-Za-z!#$%&'*+\\-.^_`|~]+");

    private AuthorizationPolicyRules() {
    }

    /**
     * Checks a decoded policy spec (the model's constraints already checked by {@link RequestDecoder#validate}).
     *
     * @throws ApiException 400 naming the member, relative to the spec ({@code rules[0].from.ipBlocks[1]: ...})
     */
    public static void check(AuthorizationPolicySpec spec) {
        for (int r = 0; r < spec.rules().size(); r++) {
            var rule = spec.rules().get(r);
            String at = "rules[" + r + "]";
            if (rule.from() != null && rule.from().ipBlocks() != null) {
                for (int i = 0; i < rule.from().ipBlocks().size(); i++) {
                    // Envoy refuses the listener for a range its own address parser refuses
                    String problem = IpLiterals.cidr(rule.from().ipBlocks().get(i));
                    if (problem != null) {
                        throw ApiException.badRequest(at + ".from.ipBlocks[" + i + "]: " + problem);
                    }
                }
            }
            if (rule.to() != null) {
                paths(at + ".to.paths", rule.to().paths());
                paths(at + ".to.prefixes", rule.to().prefixes());
            }
            if (rule.to() != null && rule.to().headers() != null) {
                for (int h = 0; h < rule.to().headers().size(); h++) {
                    var header = rule.to().headers().get(h);
                    String member = at + ".to.headers[" + h + "]";
                    long ways = Stream.of(header.exact(), header.prefix(), header.regex(), header.present())
                            .filter(Objects::nonNull).count();
                    if (ways != 1) {
                        throw ApiException.badRequest(member + ": exactly one of [exact, prefix, regex, present] must be set");
                    }
                    if ("".equals(header.prefix())) {
                        // Envoy's StringMatcher.prefix PGV rule (min_len: 1, type/matcher/v3/string.proto) refuses the listener
                        throw ApiException.badRequest(member + ".prefix: must not be empty (an empty prefix matches every"
                                + " value: write present: true)");
                    }
                    if (!HEADER_NAME.matcher(header.name()).matches()) {
                        throw ApiException.badRequest(member + ".name: '" + header.name() + "' is not an HTTP header name");
                    }
                    String regexProblem = header.regex() == null ? null : RegexRules.problem(header.regex());
                    if (regexProblem != null) {
                        throw ApiException.badRequest(member + ".regex: " + regexProblem);
                    }
                }
            }
        }
    }

    /**
     * Envoy's RBAC matches {@code url_path} without the query string and fragment ({@link PathMatchRules}): a DENY rule
     * on such a path would deny nothing, an ALLOW rule allow nothing.
     */
    private static void paths(String member, java.util.List<String> paths) {
        if (paths == null) {
            return;
        }
        for (int i = 0; i < paths.size(); i++) {
            String problem = PathMatchRules.problem(paths.get(i));
            if (problem != null) {
                throw ApiException.badRequest(member + "[" + i + "]: " + problem);
            }
        }
    }
}
