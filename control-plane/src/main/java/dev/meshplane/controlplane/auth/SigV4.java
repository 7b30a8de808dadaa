package dev.meshplane.controlplane.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks AWS Signature Version 4 on a request, as the AWS CLI and SDKs sign them: the canonical
 * request (method, path with each segment encoded again, sorted query, the signed headers, the
 * payload's hash), the string to sign with the credential scope, and the HMAC chain from the
 * secret. The signature must match and the signing time be within 15 minutes of now.
 */
public final class SigV4 {

    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^/\\s,]+)/(\\d{8})/([^/\\s,]+)/([^/\\s,]+)/aws4_request\\s*,\\s*"
                    + "SignedHeaders=([^\\s,]+)\\s*,\\s*Signature=([0-9a-f]{64})\\s*");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Duration SKEW = Duration.ofMinutes(15);

    /** The parts of an Authorization header. */
    public record Parsed(String accessKeyId, String date, String region, String service, List<String> signedHeaders, String signature) {
    }

    private SigV4() {
    }

    public static Parsed parse(String authorization) {
        Matcher m = AUTHORIZATION.matcher(authorization);
        if (!m.matches()) {
            return null;
        }
        return new Parsed(m.group(1), m.group(2), m.group(3), m.group(4), List.of(m.group(5).split(";")), m.group(6));
    }

    /**
     * Whether the signature is right for this secret. {@code header} gives a request header's values
     * joined with commas (null when absent).
     */
    public static boolean verify(Parsed auth, String secret, String method, String rawPath, String rawQuery,
            Function<String, String> header, byte[] body, Instant now) {
        String amzDate = header.apply("x-amz-date");
        if (amzDate == null || !amzDate.startsWith(auth.date()) || !auth.signedHeaders().contains("host")) {
            return false;
        }
        Instant signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        if (Duration.between(signedAt, now).abs().compareTo(SKEW) > 0) {
            return false;
        }
        StringBuilder canonical = new StringBuilder();
        canonical.append(method).append('\n').append(canonicalPath(rawPath)).append('\n')
                .append(canonicalQuery(rawQuery)).append('\n');
        for (String name : auth.signedHeaders()) {
            String value = header.apply(name);
            if (value == null) {
                return false;
            }
            canonical.append(name).append(':').append(value.strip().replaceAll("\\s+", " ")).append('\n');
        }
        String payloadHash = header.apply("x-amz-content-sha256");
        if (payloadHash == null || payloadHash.equals("UNSIGNED-PAYLOAD") && !auth.signedHeaders().contains("x-amz-content-sha256")) {
            payloadHash = hex(sha256(body));
        }
        canonical.append('\n').append(String.join(";", auth.signedHeaders())).append('\n').append(payloadHash);
        String scope = auth.date() + "/" + auth.region() + "/" + auth.service() + "/aws4_request";
        String toSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), auth.date());
        key = hmac(key, auth.region());
        key = hmac(key, auth.service());
        key = hmac(key, "aws4_request");
        String expected = hex(hmac(key, toSign));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                auth.signature().getBytes(StandardCharsets.US_ASCII));
    }

    /** Each segment of the path as sent, encoded once more (SigV4 for every service but S3). */
    static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/", -1)) {
            segments.add(encode(segment));
        }
        return String.join("/", segments);
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        Map<String, List<String>> sorted = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            sorted.computeIfAbsent(encode(name), k -> new ArrayList<>()).add(encode(value));
        }
        List<String> parts = new ArrayList<>();
        sorted.forEach((name, values) -> values.stream().sorted().forEach(v -> parts.add(name + "=" + v)));
        return String.join("&", parts);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** RFC 3986 encoding: everything but unreserved characters. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] data) {
        return HexFormat.of().formatHex(data);
    }
}
