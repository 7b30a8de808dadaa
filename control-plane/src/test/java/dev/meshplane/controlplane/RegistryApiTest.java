package dev.meshplane.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The instance registry's REST API: register, renew, describe, list, deregister, and refuse bad input. */
class RegistryApiTest extends ServerTest {

    @Test
    void registersDescribesListsAndDeregisters() throws Exception {
        String ns = uniqueName("ns");
        String base = "/v1/registry/" + ns + "/user-service/instances/";
        HttpResponse<String> put = send("PUT", base + "i-1",
                "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"10.0.1.10\",\"AWS_INSTANCE_PORT\":\"8080\",\"version\":\"v1\"},\"ttlSeconds\":30}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(put.body()).contains("\"instanceId\":\"i-1\"", "\"healthStatus\":\"HEALTHY\"", "\"live\":true",
                "\"ttlSeconds\":30", "\"expiresAt\":");
        send("PUT", base + "i-2", "{\"attributes\":{\"AWS_INSTANCE_IPV6\":\"fd00::1\"},\"healthStatus\":\"UNHEALTHY\"}");

        HttpResponse<String> list = send("GET", "/v1/registry/" + ns + "/user-service/instances", null);
        assertThat(list.body()).contains("\"instanceId\":\"i-1\"", "\"instanceId\":\"i-2\"", "\"live\":false");
        assertThat(list.body().indexOf("i-1")).isLessThan(list.body().indexOf("i-2"));

        assertThat(send("GET", base + "i-1", null).body()).contains("\"version\":\"v1\"");
        assertThat(send("DELETE", base + "i-1", null).statusCode()).isEqualTo(200);
        HttpResponse<String> gone = send("GET", base + "i-1", null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.headers().firstValue("x-amzn-ErrorType")).hasValue("NotFoundException");
        assertThat(send("DELETE", base + "i-1", null).statusCode()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no address | {'attributes':{'version':'v1'}} | attributes: needs AWS_INSTANCE_IPV4 or AWS_INSTANCE_IPV6",
        "bad ipv4 | {'attributes':{'AWS_INSTANCE_IPV4':'10.0.0.300'}} | attributes.AWS_INSTANCE_IPV4: '10.0.0.300' is not an IP address",
        "bad ipv6 | {'attributes':{'AWS_INSTANCE_IPV6':'fd00::zz'}} | attributes.AWS_INSTANCE_IPV6",
        "ipv4 shorthand | {'attributes':{'AWS_INSTANCE_IPV4':'10.1'}} | attributes.AWS_INSTANCE_IPV4: '10.1' is not an IP address",
        "ipv6 with zone | {'attributes':{'AWS_INSTANCE_IPV6':'fe80::1%eth0'}} | attributes.AWS_INSTANCE_IPV6: 'fe80::1%eth0' carries a zone id",
        "ipv4 as ipv6 | {'attributes':{'AWS_INSTANCE_IPV6':'10.0.0.1'}} | attributes.AWS_INSTANCE_IPV6: '10.0.0.1' is an IPv4 address, not IPv6",
        "ipv6 as ipv4 | {'attributes':{'AWS_INSTANCE_IPV4':'fd00::1'}} | attributes.AWS_INSTANCE_IPV4: 'fd00::1' is an IPv6 address, not IPv4",
        "bad port | {'attributes':{'AWS_INSTANCE_IPV4':'10.0.0.1','AWS_INSTANCE_PORT':'70000'}} | attributes.AWS_INSTANCE_PORT: '70000' is not a port",
        "bad health | {'attributes':{'AWS_INSTANCE_IPV4':'10.0.0.1'},'healthStatus':'SICK'} | healthStatus: 'SICK' is not one of [HEALTHY, UNHEALTHY]",
        "bad ttl | {'attributes':{'AWS_INSTANCE_IPV4':'10.0.0.1'},'ttlSeconds':0} | ttlSeconds: must be greater than or equal to 1",
        "no attributes | {} | attributes: is required",
    })
    void refusesBadRegistrations(String name, String body, String message) throws Exception {
        String ns = uniqueName("bad-ns");
        HttpResponse<String> response = send("PUT", "/v1/registry/" + ns + "/svc/instances/i-1", body.replace('\'', '"'));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("BadRequestException");
        assertThat(response.body()).contains(message);
        assertThat(send("GET", "/v1/registry/" + ns + "/svc/instances", null).body()).isEqualTo("{\"instances\":[]}");
    }

    @org.springframework.beans.factory.annotation.Autowired
    dev.meshplane.persistence.RegistryStore registry;

    @Test
    void anExpiredInstanceIsDeletedByTheCleanupOnceItsRetentionHasPassed() throws Exception {
        String path = "/v1/registry/cleanup.local/svc/instances/brief";
        assertThat(send("PUT", path, "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"10.0.9.9\"},\"ttlSeconds\":1}").statusCode())
                .isEqualTo(200);
        assertThat(registry.purgeExpired(java.time.Instant.now().plusSeconds(3600))).as("not expired yet: kept").isZero();
        long deadline = System.currentTimeMillis() + 10_000;
        int purged = 0;
        while (purged == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            purged = registry.purgeExpired(java.time.Instant.now()); // once the leader has marked it expired
        }
        assertThat(purged).isEqualTo(1);
        assertThat(send("GET", path, null).statusCode()).isEqualTo(404);
    }

    @Test
    void refusesBadNames() throws Exception {
        HttpResponse<String> response = send("PUT", "/v1/registry/ns/svc/instances/bad%20id",
                "{\"attributes\":{\"AWS_INSTANCE_IPV4\":\"10.0.0.1\"}}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("instanceId: must be 1 to 64");
    }
}
