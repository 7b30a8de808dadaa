package dev.meshplane.controlplane.xds;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envoy's {@code envoy.grpc_credentials.aws_iam} call credentials, step for step, for a grpc-java
 * channel: each call is signed when it starts, as Envoy's plugin signs it
 * (source/extensions/grpc_credentials/aws_iam/config.cc {@code buildMessageToSign}: a POST to
 * {@code <service url>/<method>}, whose host is the channel's authority and whose path is
 * {@code /<service>/<method>}; {@code signer_->sign(message, false)}), with the signer of
 * source/extensions/common/aws/signer_base_impl.cc ({@code createContentHash} without the body is the
 * SHA-256 of an empty payload, set as {@code x-amz-content-sha256} before signing; then
 * {@code x-amz-date}) and utility.cc ({@code canonicalizeHeaders}: every non-pseudo header plus
 * {@code host} from {@code :authority} without a default port 80 or 443; {@code canonicalizePathString}
 * encodes each segment). What it sends is what Envoy sends: the non-pseudo headers
 * ({@code signedHeadersToMetadata}): {@code x-amz-content-sha256}, {@code x-amz-date},
 * {@code authorization}.
 */
final class EnvoyAwsIamCredentials extends CallCredentials {

    /** SignatureConstants::HashedEmptyString. */
    static final String HASHED_EMPTY_STRING = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final DateTimeFormatter LONG_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SHORT_DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private final String accessKeyId;
    private final String secretAccessKey;
    private final String region;
    private final String service;
    private final Clock clock;

    EnvoyAwsIamCredentials(String accessKeyId, String secretAccessKey, String region, String service, Clock clock) {
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.region = region;
        this.service = service;
        this.clock = clock;
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        try {
            Metadata metadata = new Metadata();
            sign(info.getAuthority(), "/" + info.getMethodDescriptor().getFullMethodName()).forEach((name, value) ->
                    metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value));
            applier.apply(metadata);
        } catch (Exception e) {
            // Envoy's plugin answers a signing failure with INTERNAL
            applier.fail(Status.INTERNAL.withDescription(e.getMessage()).withCause(e));
        }
    }

    /** The headers Envoy's plugin sends for a call on this authority and path, signed now. */
    Map<String, String> sign(String authority, String path) throws Exception {
        var now = clock.instant();
        String longDate = LONG_DATE.format(now);
        String scope = SHORT_DATE.format(now) + "/" + region + "/" + service + "/aws4_request";
        Map<String, String> sent = new LinkedHashMap<>();
        sent.put("x-amz-content-sha256", HASHED_EMPTY_STRING);
        sent.put("x-amz-date", longDate);
        TreeMap<String, String> canonical = new TreeMap<>(sent);
        canonical.put("host", authority.endsWith(":80") || authority.endsWith(":443")
                ? authority.substring(0, authority.lastIndexOf(':')) : authority);
        StringBuilder request = new StringBuilder("POST\n").append(canonicalPath(path)).append("\n\n");
        canonical.forEach((name, value) -> request.append(name).append(':').append(value.strip()).append('\n'));
        String signedHeaders = String.join(";", canonical.keySet());
        request.append('\n').append(signedHeaders).append('\n').append(HASHED_EMPTY_STRING);
        String stringToSign = "AWS4-HMAC-SHA256\n" + longDate + "\n" + scope + "\n" + hex(sha256(request.toString()));
        byte[] key = ("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8);
        for (String part : new String[] {SHORT_DATE.format(now), region, service, "aws4_request"}) {
            key = hmac(key, part);
        }
        sent.put("authorization", "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/" + scope + ", SignedHeaders=" + signedHeaders
                + ", Signature=" + hex(hmac(key, stringToSign)));
        return sent;
    }

    /** Each non-empty segment with everything but RFC 3986's unreserved characters percent-encoded. */
    private static String canonicalPath(String path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            out.append('/');
            for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xff);
                if (Character.isLetterOrDigit(c) && c < 128 || "-._~".indexOf(c) >= 0) {
                    out.append(c);
                } else {
                    out.append('%').append(String.format("%02X", b & 0xff));
                }
            }
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    private static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
