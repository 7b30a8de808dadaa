package dev.meshplane.api.validation;

import com.google.common.net.InetAddresses;

/**
 * IP literals and CIDR ranges read as strictly as their consumers read them. Envoy parses addresses with
 * inet_pton(AF_INET) and, for IPv6, getaddrinfo(AI_NUMERICHOST) (source/common/network/utility.cc,
 * parseInternetAddressNoThrow; a failure is "malformed IP address"), and CIDR ranges with the same parser
 * and a prefix length of at most 32 or 128 (cidr_range.cc); gRPC needs IP literals in endpoint addresses.
 * Java's InetAddress reads the BSD shorthand ({@code 10/8} as 0.0.0.10, {@code 10.1} as 10.0.0.1), so it
 * is not used: Guava's InetAddresses follows inet_pton (four decimal octets without leading zeros; IPv6
 * groups of up to four hex digits, one "::" standing for at least one group, a dotted quad only at the end).
 * Each method takes the text and answers null when it is valid, otherwise what is wrong with it.
 */
public final class IpLiterals {

    /** What inet_aton reads as an address: one to four dot-separated decimal, octal or 0x-hex numbers. */
    private static final java.util.regex.Pattern INET_ATON =
            java.util.regex.Pattern.compile("((0[xX][0-9a-fA-F]*|[0-9]+)\\.?){1,4}");

    private IpLiterals() {
    }

    /** An IPv4 or IPv6 literal; a zone id ({@code fe80::1%eth0}) names an interface of the proxy's host and is refused. */
    public static String address(String text) {
        if (text.indexOf('%') >= 0) {
            return "'" + text + "' carries a zone id, which names an interface of one host; give the address alone";
        }
        if (!text.matches("[0-9A-Fa-f:.]+") || !InetAddresses.isInetAddress(text)) {
            return "'" + text + "' is not an IP address (IPv4 as four decimal numbers 0 to 255 without leading zeros,"
                    + " such as 10.0.0.5, or IPv6 such as fd00::5)";
        }
        return null;
    }

    /** An IPv4 literal (dotted quad); null when valid. */
    public static String ipv4(String text) {
        String problem = address(text);
        return problem != null ? problem : text.contains(":") ? "'" + text + "' is an IPv6 address, not IPv4" : null;
    }

    /** An IPv6 literal; null when valid. */
    public static String ipv6(String text) {
        String problem = address(text);
        return problem != null ? problem : text.contains(":") ? null : "'" + text + "' is an IPv4 address, not IPv6";
    }

    /**
     * A range {@code <address>/<prefix length>}, or one address; the length is decimal without sign or
     * leading zeros and at most 32 (IPv4) or 128 (IPv6): Envoy clamps a longer one to the address alone.
     */
    public static String cidr(String block) {
        int slash = block.indexOf('/');
        String address = slash < 0 ? block : block.substring(0, slash);
        String problem = address(address);
        if (problem != null) {
            return problem + "; a range is written <address>/<prefix length>, such as 10.0.0.0/8";
        }
        if (slash < 0) {
            return null;
        }
        String length = block.substring(slash + 1);
        int max = address.contains(":") ? 128 : 32;
        if (!length.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(length) > max) {
            return "'" + block + "': the prefix length must be a number from 0 to " + max + ", got '" + length + "'";
        }
        return null;
    }

    /**
     * A DNS host name that inet_aton reads as a number, or that holds a ':', is an IP literal to every resolver Envoy and
     * gRPC use, so it must be a valid one: '10.1' would go to 10.0.0.1 through inet_aton, or fail elsewhere
     * (and no top-level domain is all digits, RFC 3696 section 2). Null when the name is not of that kind or valid.
     */
    public static String hostname(String host) {
        boolean numeric = INET_ATON.matcher(host).matches() || host.indexOf(':') >= 0 || host.startsWith("[");
        return numeric ? address(host) : null;
    }
}
