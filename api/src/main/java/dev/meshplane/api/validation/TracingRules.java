package dev.meshplane.api.validation;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.tracing.TracingSpec;
import dev.meshplane.api.tracing.TracingSpec.Provider;
import java.util.regex.Pattern;

/**
 * What a mesh's tracing settings must be beyond the model's constraints, for the Envoy tracer they become to load and
 * to reach its collector. Each rule names the consumer's source it comes from; the REST handler and the translator's
 * tests run the same check.
 */
public final class TracingRules {

    /** The X-Ray daemon's address when none is given: the App Mesh image's default (envoy_bootstrap.go, getXRayAddressAndPort). */
    public static final String DEFAULT_XRAY_DAEMON = "127.0.0.1:2000";
    /** Zipkin's v2 span API, the path every Zipkin collector serves. */
    public static final String DEFAULT_ZIPKIN_PATH = "/api/v2/spans";

    /** An RFC 1123 host name label: letters, digits and inner hyphens, 1 to 63 characters. */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern PORT = Pattern.compile("[1-9][0-9]{0,4}");
    /** RFC 3986 path and query characters: the origin-form request target of RFC 9112, section 3.2.1. */
    private static final Pattern ORIGIN_FORM = Pattern.compile(
            "/(?:[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})*(?:\\?(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?");
    /** X-Ray's segment names: Unicode letters and digits, spaces and {@code _ . : / % & # = + \ - @} (segment documents' "name"). */
    private static final Pattern SEGMENT_NAME = Pattern.compile("[\\p{L}\\p{N} _.:/%&#=+\\\\@-]{1,200}");

    private TracingRules() {
    }

    /** A collector's address: a DNS name or an IP literal (without brackets), and a port. */
    public record Address(String host, int port, boolean ipLiteral) {
    }

    /**
     * Checks decoded settings (the model's constraints already checked by {@link RequestDecoder#validate}).
     *
     * @throws ApiException 400 naming the member ({@code zipkin.collector: ...})
     */
    public static void check(TracingSpec spec) {
        Provider provider = spec.provider();
        // one tracer per connection manager (HttpConnectionManager.Tracing.provider): settings of another are a mistake
        only(provider, Provider.XRAY, "xray", spec.xray() != null);
        only(provider, Provider.ZIPKIN, "zipkin", spec.zipkin() != null);
        only(provider, Provider.OPENTELEMETRY, "opentelemetry", spec.opentelemetry() != null);
        if (spec.samplingPercent() != null) {
            double p = spec.samplingPercent();
            // envoy.type.v3.Percent.value: PGV double {gte: 0, lte: 100} (percent.proto); Envoy refuses the listener otherwise
            if (!(p >= 0 && p <= 100)) {
                throw ApiException.badRequest("samplingPercent: must be from 0 to 100, got " + p);
            }
        }
        switch (provider) {
            case XRAY -> {
                if (spec.xray() != null && spec.xray().daemonAddress() != null) {
                    String problem = daemonProblem(spec.xray().daemonAddress());
                    if (problem != null) {
                        throw ApiException.badRequest("xray.daemonAddress: " + problem);
                    }
                }
                if (spec.xray() != null && spec.xray().segmentName() != null
                        && !SEGMENT_NAME.matcher(spec.xray().segmentName()).matches()) {
                    throw ApiException.badRequest("xray.segmentName: '" + spec.xray().segmentName() + "' holds a character"
                            + " X-Ray does not take in a segment name (letters, digits, spaces and _ . : / % & # = + \\ - @,"
                            + " at most 200)");
                }
            }
            case ZIPKIN -> {
                required("zipkin", spec.zipkin() != null);
                collector("zipkin.collector", spec.zipkin().collector());
                String path = spec.zipkin().path();
                if (path != null && !ORIGIN_FORM.matcher(path).matches()) {
                    throw ApiException.badRequest("zipkin.path: '" + path + "' is not an HTTP request path: it starts with"
                            + " '/' and holds only RFC 3986 path and query characters (percent-encode the others)");
                }
            }
            case OPENTELEMETRY -> {
                required("opentelemetry", spec.opentelemetry() != null);
                collector("opentelemetry.collector", spec.opentelemetry().collector());
            }
        }
    }

    /**
     * Parses an address {@link #check} accepted: {@code <host>:<port>}, an IPv6 literal in brackets.
     *
     * @throws IllegalArgumentException when the text is not such an address
     */
    public static Address address(String text) {
        String problem = addressProblem(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        int colon = text.lastIndexOf(':');
        String host = text.substring(0, colon);
        boolean bracketed = host.startsWith("[");
        host = bracketed ? host.substring(1, host.length() - 1) : host;
        return new Address(host, Integer.parseInt(text.substring(colon + 1)),
                bracketed || IpLiterals.address(host) == null);
    }

    /** The X-Ray daemon address {@link #check} accepted, with the default port 2000 when none was given. */
    public static Address daemon(String text) {
        String address = text == null ? DEFAULT_XRAY_DAEMON : text.indexOf(':') < 0 ? text + ":2000" : text;
        return address(address);
    }

    private static void only(Provider provider, Provider owner, String member, boolean given) {
        if (given && provider != owner) {
            throw ApiException.badRequest(member + ": given with provider " + provider.wireValue() + "; only provider "
                    + owner.wireValue() + " takes it");
        }
    }

    private static void required(String member, boolean given) {
        if (!given) {
            throw ApiException.badRequest(member + ": is required with provider " + member);
        }
    }

    private static void collector(String member, String text) {
        String problem = addressProblem(text);
        if (problem != null) {
            throw ApiException.badRequest(member + ": " + problem);
        }
    }

    /**
     * The X-Ray daemon's address is an IPv4 literal with an optional port. Envoy's X-Ray tracer does not resolve names
     * and formats its endpoint as {@code <address>:<port>}, which it parses with parseInternetAddressAndPort
     * (tracers/xray/config.cc, daemon_broker.cc; common/network/utility.cc reads an unbracketed address as IPv4), so
     * an IPv6 daemon would not start; the App Mesh image refuses names too ("AWS_XRAY_DAEMON_ADDRESS must be a static
     * IPv4 or IPv6 address", envoy_bootstrap.go).
     */
    private static String daemonProblem(String text) {
        int colon = text.indexOf(':');
        String host = colon < 0 ? text : text.substring(0, colon);
        if (IpLiterals.ipv4(host) != null || (colon >= 0 && text.indexOf(':', colon + 1) >= 0)) {
            return "'" + text + "' is not <IPv4 address>[:<port>] such as 127.0.0.1:2000: Envoy's X-Ray tracer takes an"
                    + " IPv4 literal only (it resolves no names and reads an IPv6 daemon address as malformed)";
        }
        if (colon >= 0) {
            return portProblem(text, text.substring(colon + 1));
        }
        return null;
    }

    /**
     * {@code <host>:<port>}: a DNS name of RFC 1123 labels (Envoy resolves it for a STRICT_DNS cluster) or an IP literal
     * as inet_pton reads it ({@link IpLiterals}; IPv6 in brackets, Envoy's STATIC cluster refuses anything else as a
     * "malformed IP address"), and a port from 1 to 65535 (SocketAddress.port_value: PGV lte 65535; port 0 reaches nothing).
     */
    private static String addressProblem(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return "'" + text + "' is not <host>:<port> such as collector.example.com:9411 or [fd00::1]:4317";
        }
        String host = text.substring(0, colon);
        String port = portProblem(text, text.substring(colon + 1));
        if (port != null) {
            return port;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            String problem = IpLiterals.ipv6(host.substring(1, host.length() - 1));
            return problem == null ? null : problem + " (in '" + text + "')";
        }
        if (host.indexOf(':') >= 0) {
            return "'" + text + "': write an IPv6 address in brackets, such as [fd00::1]:4317";
        }
        String numeric = IpLiterals.hostname(host);
        if (numeric != null || IpLiterals.address(host) == null) {
            return numeric == null ? null : numeric + " (in '" + text + "')";
        }
        if (host.length() > 253 || !java.util.Arrays.stream(host.split("\\.", -1)).allMatch(l -> LABEL.matcher(l).matches())) {
            return "'" + host + "' (in '" + text + "') is neither an IP address nor a DNS name: dot-separated labels of"
                    + " 1 to 63 letters, digits and inner hyphens, at most 253 characters, without a trailing dot";
        }
        return null;
    }

    private static String portProblem(String text, String port) {
        if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535) {
            return "'" + text + "': the port must be a number from 1 to 65535 without sign or leading zeros, got '"
                    + port + "'";
        }
        return null;
    }
}
