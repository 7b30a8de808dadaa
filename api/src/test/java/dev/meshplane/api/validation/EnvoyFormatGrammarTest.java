package dev.meshplane.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Format strings as Envoy's SubstitutionFormatParser reads them: what it accepts and what it refuses, and why. */
class EnvoyFormatGrammarTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" %RESPONSE_CODE%"
                + " %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%"
                + " \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%UPSTREAM_HOST%\"",
        "100%% of %REQ(USER-AGENT):10% at %START_TIME(%Y-%m-%dT%H:%M:%S.%3fZ)%",
        "%DYNAMIC_METADATA(envoy.lb:canary)% %FILTER_STATE(key):20% %GRPC_STATUS(CAMEL_STRING)% %GRPC_STATUS%",
        "plain text, no commands",
        "%%%%",
    })
    void envoyAcceptsThese(String format) {
        assertThat(EnvoyFormatGrammar.problems(format)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "%DURATION_MS% | %DURATION_MS%: Envoy has no command DURATION_MS",
        "%duration% | no valid command at position 0",
        "took %DURATION | no valid command at position 5",
        "100% done | no valid command at position 3",
        "%DURATION(x)% | DURATION takes no arguments or length",
        "%DURATION:10% | DURATION takes no arguments or length",
        "%REQ% | REQ needs arguments",
        "%REQ()% | REQ needs arguments",
        "%REQ(a?b?c)% | more than one alternative header",
        "%REQ(bad header)% | is not a valid header name",
        "%START_TIME:10% | START_TIME takes no length",
        "%START_TIME(%Y%n)% | must not contain a newline",
        "%DYNAMIC_METADATA(ns:key):5% | DYNAMIC_METADATA takes no length",
        "%GRPC_STATUS(FANCY)% | GRPC_STATUS takes one of",
        "%REQ(a:b% | no valid command at position 0",
    })
    void envoyRefusesThese(String format, String problem) {
        assertThat(EnvoyFormatGrammar.problems(format)).anySatisfy(p -> assertThat(p).contains(problem));
    }
}
