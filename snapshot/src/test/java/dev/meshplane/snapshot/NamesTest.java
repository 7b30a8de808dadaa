package dev.meshplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.snapshot.Names.EgressTarget;
import org.junit.jupiter.api.Test;

/** Cluster names read back to the virtual node listener they lead to, as load reports name them. */
class NamesTest {

    @Test
    void egressClustersAndTheirTlsVariantsNameTheirTarget() {
        assertThat(Names.egressTarget("prod", Names.egressCluster("prod", "user-service_v1", "grpc", 8080)))
                .contains(new EgressTarget("user-service_v1", "grpc", 8080));
        assertThat(Names.egressTarget("prod", "cds_egress_prod_web_http_80_plaintext")).contains(new EgressTarget("web", "http", 80));
        assertThat(Names.egressTarget("prod", "cds_egress_prod_web_http2_80_tls_0a1b2c3d"))
                .contains(new EgressTarget("web", "http2", 80));
        assertThat(Names.egressTarget("prod", "cds_egress_prod_a_http_1_http_9")).contains(new EgressTarget("a_http_1", "http", 9));
    }

    @Test
    void otherClustersNameNoTarget() {
        assertThat(Names.egressTarget("prod", Names.ingressCluster("prod", "web", "http", 80))).isEmpty();
        assertThat(Names.egressTarget("prod", Names.PASSTHROUGH_CLUSTER)).isEmpty();
        assertThat(Names.egressTarget("prod", "meshplane-xds")).isEmpty();
        assertThat(Names.egressTarget("prod", "cds_egress_staging_web_http_80")).isEmpty();
        assertThat(Names.egressTarget("prod", "cds_egress_prod_web_http_70000")).isEmpty();
        assertThat(Names.egressTarget("prod", "cds_egress_prod_web_udp_80")).isEmpty();
        assertThat(Names.egressTarget("prod", null)).isEmpty();
        assertThat(Names.isProxyLocal(Names.ingressCluster("prod", "web", "http", 80))).isTrue();
        assertThat(Names.isProxyLocal(Names.PASSTHROUGH_CLUSTER)).isTrue();
        assertThat(Names.isProxyLocal(Names.egressCluster("prod", "web", "http", 80))).isFalse();
    }
}
