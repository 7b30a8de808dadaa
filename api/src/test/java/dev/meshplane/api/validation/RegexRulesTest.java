package dev.meshplane.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 12, example 4: the limit every supported Envoy applies, at its edge (figures measured by RE2 itself). */
class RegexRulesTest {

    @Test
    void theIssuesExampleAndTheLimitItselfAreAccepted() {
        assertThat(Re2ProgramSize.of("^/api/(v1|v2)/(orders|carts|customers)/[a-z0-9-]{36}$")).isEqualTo(139);
        assertThat(RegexRules.problem("^/api/(v1|v2)/(orders|carts|customers)/[a-z0-9-]{36}$")).isNull();
        assertThat(Re2ProgramSize.of("^/api/([a-z0-9-]{36}/){8}[a-z0-9-]{36}$")).isEqualTo(1000);
        assertThat(RegexRules.problem("^/api/([a-z0-9-]{36}/){8}[a-z0-9-]{36}$")).isNull();
    }

    @Test
    void overTheLimitOrNotRe2IsRefused() {
        assertThat(RegexRules.problem("[a-z]{1000}")).startsWith("RE2 program size 1004 is over Envoy's limit of 1000");
        assertThat(RegexRules.problem("a**")).isEqualTo("is not a valid RE2 regular expression: bad repetition operator: **");
        assertThat(RegexRules.problem("(?=a)")).startsWith("is not a valid RE2 regular expression");
        assertThat(RegexRules.problem("\\p{Greek}+")).isEqualTo("cannot be checked against Envoy's RE2 program size"
                + " limit: the Unicode class '\\p' depends on RE2's Unicode tables; use explicit character ranges");
        assertThat(RegexRules.problem("(?i)caf\u00e9")).startsWith("cannot be checked against Envoy's RE2 program size"
                + " limit: case-insensitive matching of the non-ASCII letter U+E9");
    }

    /** Deep nesting is an answer, never a StackOverflowError (which the API would turn into a 500). */
    @Test
    void deeplyNestedGroupsAreRefusedNotOverflowed() {
        String deep = "(".repeat(20_000) + "a" + ")".repeat(20_000);
        // RE2 itself measures 1000 nested groups as 2005
        assertThat(RegexRules.problem(deep)).isEqualTo("cannot be checked against Envoy's RE2 program size limit:"
                + " its groups nest deeper than 1000 levels");
        assertThat(Re2ProgramSize.of("(".repeat(1000) + "a" + ")".repeat(1000))).isEqualTo(2005);
        assertThat(RegexRules.problem("[a-z]?".repeat(10_000))).startsWith("cannot be checked against Envoy's RE2"
                + " program size limit");
    }
}
