package dev.meshplane.controlplane.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks AWS Signature Version 4 on a request as AWS checks it (AWS's "Signature Version 4 signing
 * process": canonical request, string to sign, signing key; botocore's {@code SigV4Auth} and the AWS
 * SDK for Java's {@code AwsV4HttpSigner} are the signers it is tested against). In order, each step
 * failing with a {@link Rejected} that says why:
 * <ol>
 * <li>{@link #parse}: the {@code Authorization} header is {@code AWS4-HMAC-SHA256 Credential=<key>/<yyyyMMdd>/
 *     <region>/<service>/aws4_request, SignedHeaders=<a;b>, Signature=<64 hex>}, and the signed headers
 *     include {@code host} and {@code x-amz-date};</li>
 * <li>{@link #checkScope}: {@code X-Amz-Date} is {@code yyyyMMdd'T'HHmmss'Z'}, its day is the scope's
 *     day, it is within 15 minutes of now, the scope's region is this server's and its service
 *     {@value #SERVICE};</li>
 * <li>{@link #checkSignature}: the payload hash is the SHA-256 of the body actually received (a
 *     {@code x-amz-content-sha256} header, signed or not, must be exactly that: a replayed signature
 *     cannot carry another body), and the signature over the canonical request matches.</li>
 * </ol>
 */
public final class SigV4 {

    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** The signing name of App Mesh (its service model's {@code signingName}), used by the CLI, SDKs and Envoy's plugin. */
    public static final String SERVICE = "appmesh";
    /** The payload hash of an empty body: what Envoy's AWS IAM gRPC credentials sign for every call. */
    public static final String EMPTY_PAYLOAD_SHA256 = hex(sha256(new byte[0]));
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Duration SKEW = Duration.ofMinutes(15);
    private static final Pattern HEADER_NAME = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]+");
    private static final Pattern DAY = Pattern.compile("\\d{8}");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");

    /** The parts of an Authorization header. */
    public record Parsed(String accessKeyId, String date, String region, String service, List<String> signedHeaders,
            String signature) {
    }

    /**
     * A request as received: the method, the path and query exactly as sent (still percent-encoded),
     * a header's values joined with commas (null when absent), and the body.
     */
    public record Request(String method, String rawPath, String rawQuery, Function<String, String> header, byte[] body) {
    }

    /** How a refused signature is answered on REST: AWS's answer for the first two, Meshplane's 401 for the last. */
    public enum Failure {
        /** The header or the date cannot be read: 400 {@code IncompleteSignatureException}. */
        MALFORMED,
        /** Well formed, but scoped to another region, service or day, or signed too long ago: 403 {@code InvalidSignatureException}. */
        INVALID,
        /** The key is unknown or the signature or payload hash does not match: 401 {@code UnauthorizedException}, as for any credential not verified. */
        MISMATCH
    }

    /** A signature refused; the message says why, and repeats nothing the caller sent unescaped. */
    public static final class Rejected extends Exception {
        private final Failure failure;
        private final String accessKeyId;

        public Rejected(Failure failure, String accessKeyId, String message) {
            super(message, null, false, false);
            this.failure = failure;
            this.accessKeyId = accessKeyId;
        }

        public Failure failure() {
            return failure;
        }

        /** The access key the request named, or null when it could not be read. */
        public String accessKeyId() {
            return accessKeyId;
        }
    }

    private SigV4() {
    }

    /**
     * Reads an {@code Authorization} header.
     *
     * @throws Rejected {@link Failure#MALFORMED} naming the missing or unreadable part
     */
    public static Parsed parse(String authorization) throws Rejected {
        if (authorization == null || !authorization.startsWith(ALGORITHM + " ")) {
            throw malformed(null, "the Authorization header must start with '" + ALGORITHM + " '");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.putIfAbsent(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        for (String name : List.of("Credential", "SignedHeaders", "Signature")) {
            if (!parts.containsKey(name)) {
                throw malformed(null, "Authorization header requires '" + name + "' parameter");
            }
        }
        String[] scope = parts.get("Credential").split("/", -1);
        if (scope.length != 5 || scope[0].isEmpty()) {
            throw malformed(null, "Credential must be <access key id>/<yyyyMMdd>/<region>/<service>/aws4_request");
        }
        String key = printable(scope[0]);
        if (!DAY.matcher(scope[1]).matches()) {
            throw malformed(key, "Credential's date must be yyyyMMdd, got '" + printable(scope[1]) + "'");
        }
        if (!scope[4].equals("aws4_request")) {
            throw malformed(key, "Credential should be scoped with a valid terminator: 'aws4_request', not '"
                    + printable(scope[4]) + "'");
        }
        List<String> signed = List.of(parts.get("SignedHeaders").split(";", -1));
        if (!signed.stream().allMatch(name -> HEADER_NAME.matcher(name).matches())) {
            throw malformed(key, "SignedHeaders must be lower-case header names separated by ';'");
        }
        if (!signed.contains("host")) {
            throw malformed(key, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization");
        }
        if (!signed.contains("x-amz-date")) {
            throw malformed(key, "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization");
        }
        if (!SIGNATURE.matcher(parts.get("Signature")).matches()) {
            throw malformed(key, "Signature must be 64 lower-case hexadecimal digits");
        }
        return new Parsed(scope[0], scope[1], scope[2], scope[3], signed, parts.get("Signature"));
    }

    /**
     * Checks the signing time and the credential scope, before any key is looked up.
     *
     * @throws Rejected {@link Failure#MALFORMED} for a missing or unreadable {@code X-Amz-Date};
     *                  {@link Failure#INVALID} for another day, region or service, or a time more
     *                  than 15 minutes from {@code now}
     */
    public static void checkScope(Parsed auth, Request request, String region, Instant now) throws Rejected {
        String key = printable(auth.accessKeyId());
        String amzDate = request.header().apply("x-amz-date");
        if (amzDate == null) {
            throw malformed(key, "the X-Amz-Date header is required");
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw malformed(key, "X-Amz-Date must be in ISO 8601 basic format (yyyyMMdd'T'HHmmss'Z'), got '"
                    + printable(amzDate) + "'");
        }
        if (!amzDate.startsWith(auth.date())) {
            throw invalid(key, "Date in Credential scope does not match YYYYMMDD from X-Amz-Date: '" + auth.date()
                    + "' != '" + amzDate.substring(0, 8) + "'");
        }
        if (!auth.region().equals(region)) {
            throw invalid(key, "Credential should be scoped to a valid region ('" + region + "'), not '"
                    + printable(auth.region()) + "'");
        }
        if (!auth.service().equals(SERVICE)) {
            throw invalid(key, "Credential should be scoped to correct service: '" + SERVICE + "', not '"
                    + printable(auth.service()) + "'");
        }
        if (signedAt.isBefore(now.minus(SKEW))) {
            throw invalid(key, "Signature expired: " + amzDate + " is now earlier than " + AMZ_DATE.format(
                    now.minus(SKEW).atOffset(ZoneOffset.UTC)) + " (" + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC))
                    + " - 15 min.)");
        }
        if (signedAt.isAfter(now.plus(SKEW))) {
            throw invalid(key, "Signature not yet current: " + amzDate + " is still later than " + AMZ_DATE.format(
                    now.plus(SKEW).atOffset(ZoneOffset.UTC)) + " (" + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC))
                    + " + 15 min.)");
        }
    }

    /**
     * Checks the payload hash and the signature with the access key's secret.
     *
     * @throws Rejected {@link Failure#MALFORMED} for {@code x-amz-content-sha256: UNSIGNED-PAYLOAD} (App
     *                  Mesh's clients sign their payloads, and a body nobody signed could be swapped);
     *                  {@link Failure#MISMATCH} when that header is not the body's hash, a signed header
     *                  is missing or the signature does not match
     */
    public static void checkSignature(Parsed auth, String secret, Request request) throws Rejected {
        String key = printable(auth.accessKeyId());
        String payloadHash = hex(sha256(request.body() == null ? new byte[0] : request.body()));
        String declared = request.header().apply("x-amz-content-sha256");
        if ("UNSIGNED-PAYLOAD".equals(declared)) {
            throw malformed(key, "x-amz-content-sha256: UNSIGNED-PAYLOAD is not accepted; sign the payload");
        }
        if (declared != null && !declared.equals(payloadHash)) {
            throw new Rejected(Failure.MISMATCH, key, "x-amz-content-sha256 is not the SHA-256 of the body received");
        }
        StringBuilder canonical = new StringBuilder();
        canonical.append(request.method()).append('\n').append(canonicalPath(request.rawPath())).append('\n')
                .append(canonicalQuery(request.rawQuery())).append('\n');
        for (String name : auth.signedHeaders()) {
            String value = request.header().apply(name);
            if (value == null) {
                throw new Rejected(Failure.MISMATCH, key, "the signed header '" + name + "' is missing");
            }
            canonical.append(name).append(':').append(value.strip().replaceAll("\\s+", " ")).append('\n');
        }
        canonical.append('\n').append(String.join(";", auth.signedHeaders())).append('\n').append(payloadHash);
        String scope = auth.date() + "/" + auth.region() + "/" + auth.service() + "/aws4_request";
        String toSign = ALGORITHM + "\n" + request.header().apply("x-amz-date") + "\n" + scope + "\n"
                + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] signingKey = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), auth.date());
        signingKey = hmac(signingKey, auth.region());
        signingKey = hmac(signingKey, auth.service());
        signingKey = hmac(signingKey, "aws4_request");
        String expected = hex(hmac(signingKey, toSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                auth.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw new Rejected(Failure.MISMATCH, key, "the signature does not match");
        }
    }

    /** A Host or :authority value as signers sign it: without the scheme's default port, as botocore and the AWS SDKs drop it. */
    public static String host(String authority) {
        if (authority == null) {
            return null;
        }
        return authority.endsWith(":443") || authority.endsWith(":80")
                ? authority.substring(0, authority.lastIndexOf(':')) : authority;
    }

    /**
     * The path as sent, normalised as the specification asks (no empty or dot segments, a trailing
     * slash kept), each segment encoded once more (SigV4 for every service but S3).
     */
    static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (segment.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(encode(segment));
            }
        }
        String path = "/" + String.join("/", segments);
        return rawPath.endsWith("/") && !segments.isEmpty() ? path + "/" : path;
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
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text; // a stray '%': signed as sent, so it is compared as sent
        }
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

    /**
     * A SigV4 header's field fit for a message and a log line: at most 64 characters, control
     * characters escaped as everywhere else ({@link dev.meshplane.api.validation.TextRules#printable}).
     */
    public static String printable(String text) {
        return dev.meshplane.api.validation.TextRules.printable(text.length() > 64 ? text.substring(0, 64) + "..." : text);
    }

    private static Rejected malformed(String key, String message) {
        return new Rejected(Failure.MALFORMED, key, message);
    }

    private static Rejected invalid(String key, String message) {
        return new Rejected(Failure.INVALID, key, message);
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
