package dev.meshplane.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextRulesTest {

    @Test
    void everyControlCharacterIsAProblemAndOnlyLineBreaksAndTabsSpanLines() {
        assertThat(TextRules.problem("web", false)).isNull();
        assertThat(TextRules.problem("caf\u00e9 \u4e16", false)).as("other scripts are text").isNull();
        assertThat(TextRules.problem("a\u0000", false)).isEqualTo("must not contain control characters (U+0000 at index 1)");
        assertThat(TextRules.problem("a\u009f", false)).contains("U+009F at index 1");
        assertThat(TextRules.problem("a\tb\r\n", true)).isNull();
        assertThat(TextRules.problem("a\tb", false)).contains("U+0009");
        assertThat(TextRules.problem("a\u0000\n", true)).contains("U+0000");
    }

    @Test
    void printableEscapesWhatCouldForgeALine() {
        assertThat(TextRules.printable("node\nINFO forged\r\u0000")).isEqualTo("node\\nINFO forged\\r\\u0000");
        assertThat(TextRules.printable("plain")).isEqualTo("plain");
        assertThat(TextRules.printable(null)).isNull();
    }

    @Test
    void meshNamesBeginningWithMeshplanesPrefixAreReserved() {
        assertThat(TextRules.reserved("_meshplane")).isTrue();
        assertThat(TextRules.reserved("_meshplane-x")).isTrue();
        assertThat(TextRules.reserved("meshplane")).isFalse();
    }
}
