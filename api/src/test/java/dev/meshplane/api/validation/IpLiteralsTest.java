package dev.meshplane.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 12, example 12: addresses and ranges as inet_pton and Envoy's CidrRange read them, not as Java's InetAddress. */
class IpLiteralsTest {

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", "0.0.0.0/0", "10.0.0.5", "10.0.0.5/32", "fd00::/8", "::/0", "::1",
        "2001:db8::1/128", "::ffff:10.0.0.1", "1:2:3:4:5:6:7::", "FD00:0:0:0:0:0:0:1/64"})
    void acceptsWhatEnvoyParses(String block) {
        assertThat(IpLiterals.cidr(block)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10/8", "10.1/16", "10", "10.0.0", "010.0.0.0/8", "10.0.0.256", "10.0.0.0/33", "fd00::/129",
        "10.0.0.0/08", "10.0.0.0/+8", "10.0.0.0/", "10.0.0.0/8/8", "fe80::1%eth0/64", "fe80::1%1", "[::1]", "1::2::3",
        "1:2:3:4:5:6:7:8:9", "12345::", "::1.2.3", "1.2.3.4::", "0x0a.0.0.0", "example.com", " 10.0.0.0/8"})
    void refusesWhatEnvoyRefusesOrReadsOtherwise(String block) {
        assertThat(IpLiterals.cidr(block)).as(block).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1", "10", "127.1", "0x7f.1", "::1%lo", "[fd00::1]", "1::2::3"})
    void numericHostNamesMustBeAddresses(String host) {
        assertThat(IpLiterals.hostname(host)).as(host).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders.local", "10.0.0.5", "fd00::5", "db-1.internal", "2fast.example.com"})
    void namesAndLiteralsPass(String host) {
        assertThat(IpLiterals.hostname(host)).as(host).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.5", "192.168.1.1"})
    void ipv4IsNotIpv6(String v4) {
        assertThat(IpLiterals.ipv4(v4)).isNull();
        assertThat(IpLiterals.ipv6(v4)).contains("is an IPv4 address");
    }
}
