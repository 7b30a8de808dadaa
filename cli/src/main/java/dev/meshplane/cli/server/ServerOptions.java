package dev.meshplane.cli.server;

import java.net.URI;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Where the server is and who calls it, shared by the commands that talk to it: {@code --endpoint} (else
 * {@code MESHPLANE_ENDPOINT}, else {@code http://localhost:8080}); {@code --token} (else {@code MESHPLANE_TOKEN}), else
 * the AWS CLI's variables {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN} and
 * {@code AWS_REGION} / {@code AWS_DEFAULT_REGION} (default {@code us-east-1}) for SigV4.
 */
public final class ServerOptions {

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "Meshplane's HTTP address (default: $MESHPLANE_ENDPOINT, else http://localhost:8080)")
    String endpoint;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "a bearer token (default: $MESHPLANE_TOKEN; without one, AWS_ACCESS_KEY_ID and"
                    + " AWS_SECRET_ACCESS_KEY sign with SigV4, as the AWS CLI does)")
    String token;

    /**
     * The client these options and the environment describe.
     *
     * @throws ParameterException (exit 2) when the endpoint is not an http(s) URL, or only one of the AWS key's
     *         two variables is set
     */
    public ServerClient client(CommandSpec spec, Map<String, String> environment) {
        String url = endpoint != null ? endpoint : environment.getOrDefault("MESHPLANE_ENDPOINT", "http://localhost:8080");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--endpoint: '" + withoutUserPart(url) + "' is not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new ParameterException(spec.commandLine(), "--endpoint: '" + withoutUserPart(url)
                    + "' is not an http:// or https:// URL");
        }
        if (uri.getRawUserInfo() != null) {
            // java.net.http sends no user part, and every message naming the endpoint would print it
            throw new ParameterException(spec.commandLine(), "--endpoint: '" + withoutUserPart(url) + "' carries"
                    + " credentials in the URL, which are never sent; give --token or the AWS variables instead");
        }
        String bearer = token != null ? token : environment.get("MESHPLANE_TOKEN");
        String keyId = environment.get("AWS_ACCESS_KEY_ID");
        String secret = environment.get("AWS_SECRET_ACCESS_KEY");
        if (bearer == null && (keyId == null) != (secret == null)) {
            throw new ParameterException(spec.commandLine(), "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are needed together");
        }
        AwsCredentialsIdentity credentials = null;
        if (bearer == null && keyId != null) {
            String session = environment.get("AWS_SESSION_TOKEN");
            credentials = session == null ? AwsCredentialsIdentity.create(keyId, secret)
                    : AwsSessionCredentialsIdentity.create(keyId, secret, session);
        }
        String region = environment.getOrDefault("AWS_REGION", environment.getOrDefault("AWS_DEFAULT_REGION", "us-east-1"));
        return new ServerClient(uri, bearer, credentials, region);
    }

    /** The URL as it may be printed: a user part ({@code user:secret@}) replaced by {@code ***@}. */
    static String withoutUserPart(String url) {
        return url.replaceFirst("^([^:/?#]*://)[^/?#]*@", "$1***@");
    }
}
