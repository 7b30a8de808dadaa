package dev.meshplane.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.model.CreateVirtualGatewayRequest;
import dev.meshplane.api.model.CreateVirtualNodeRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Envoy opens an access log file when it loads the listener and refuses the listener when it cannot
 * (access_log_manager_impl.cc, "unable to open file"): a path naming a directory is refused, naming the member.
 */
class AccessLogPathsTest {

    private static final String NODE = "{'virtualNodeName':'n','spec':{'logging':{'accessLog':{'file':{'path':'%s'}}}}}";
    private static final String GATEWAY = "{'virtualGatewayName':'g','spec':{'listeners':[{'portMapping':{'port':8080,"
            + "'protocol':'http'}}],'logging':{'accessLog':{'file':{'path':'%s'}}}}}";

    private static <T extends Record> T decode(String json, Class<T> type) {
        return RequestDecoder.decode(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8), type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/var/log/", "/", "/var/log/envoy/.", "/var/log/..", "logs/"})
    void directoriesAreRefusedForNodesAndGateways(String path) {
        assertThatThrownBy(() -> decode(NODE.formatted(path), CreateVirtualNodeRequest.class))
                .isInstanceOf(ApiException.class).hasMessageStartingWith("spec.logging.accessLog.file.path: '" + path
                        + "' names a directory, not a file: Envoy cannot open it as its access log and refuses the listener");
        assertThatThrownBy(() -> decode(GATEWAY.formatted(path), CreateVirtualGatewayRequest.class))
                .isInstanceOf(ApiException.class).hasMessageStartingWith("spec.logging.accessLog.file.path: '" + path
                        + "' names a directory");
    }

    @ParameterizedTest
    @CsvSource({"/dev/stdout", "/var/log/envoy/access.log", "access.log", "/var/log/.hidden", "/tmp/..log"})
    void filesAreAccepted(String path) {
        assertThat(decode(NODE.formatted(path), CreateVirtualNodeRequest.class).spec().logging().accessLog().file().path())
                .isEqualTo(path);
        assertThat(decode(GATEWAY.formatted(path), CreateVirtualGatewayRequest.class)).isNotNull();
    }
}
