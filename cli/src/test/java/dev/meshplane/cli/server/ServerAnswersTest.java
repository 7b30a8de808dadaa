package dev.meshplane.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.meshplane.cli.ExitCodes;
import dev.meshplane.cli.Meshplane;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What the server commands do with what is not Meshplane: an HTTP server on a random port (the JDK's) that
 * answers 200 with an HTML page, as a login page or another service on the wrong port does; and endpoints
 * that carry credentials in the URL.
 */
class ServerAnswersTest {

    private HttpServer server;

    private record Run(int code, String out, String err) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] page = "<html><body>Sign in</body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static Run run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Meshplane.commandLine(environment);
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return new Run(commandLine.execute(args), out.toString(), err.toString());
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void aTwoHundredThatIsNotJsonIsTheServersFailureNotRefusedInput() {
        // it was Jackson's exception: a stack trace and exit 1, which tells a CI job its input was refused
        Run run = run(Map.of("MESHPLANE_ENDPOINT", endpoint(), "MESHPLANE_TOKEN", "t"), "get", "mesh");
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.SERVER_ERROR);
        assertThat(run.err()).isEqualTo("meshplane: " + endpoint() + " answered HTTP 200 with text/html, not Meshplane's"
                + " JSON: is --endpoint Meshplane's HTTP address?" + System.lineSeparator());
    }

    @Test
    void credentialsInTheEndpointAreRefusedAndNeverPrinted() {
        // java.net.http never sends a user part: it only ended up in messages ("cannot reach http://ci:s3cret@...")
        String withSecret = "http://ci:s3cret@127.0.0.1:" + server.getAddress().getPort();
        Run run = run(Map.of("MESHPLANE_TOKEN", "t"), "get", "mesh", "--endpoint", withSecret);
        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--endpoint: 'http://***@127.0.0.1:" + server.getAddress().getPort()
                + "' carries credentials in the URL").doesNotContain("s3cret");
        Run malformed = run(Map.of("MESHPLANE_ENDPOINT", "http://ci:s3cret@host:port/ x"), "proxies");
        assertThat(malformed.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(malformed.err()).contains("'http://***@host:port/ x' is not a URL").doesNotContain("s3cret");
    }
}
