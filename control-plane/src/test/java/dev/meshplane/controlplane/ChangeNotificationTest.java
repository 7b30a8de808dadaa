package dev.meshplane.controlplane;

import static dev.meshplane.controlplane.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshplane.persistence.ResourceStore;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.appmesh.model.BadRequestException;

/** Every committed write bumps its mesh's revision and notifies LISTENers with the mesh name; failed writes do neither. */
class ChangeNotificationTest extends ServerTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    ResourceStore store;

    @Test
    void writesNotifyWithTheMeshNameAndTimeOnCommit() throws Exception {
        String mesh = uniqueName("notify");
        try (Connection listener = dataSource.getConnection()) {
            try (Statement statement = listener.createStatement()) {
                statement.execute("LISTEN " + ResourceStore.CHANNEL);
            }
            appMesh.createMesh(r -> r.meshName(mesh));
            long afterCreate = store.revision(mesh);
            appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("n").spec(node("n.local")));
            appMesh.updateVirtualNode(r -> r.meshName(mesh).virtualNodeName("n").spec(node("m.local")));
            try {
                appMesh.createVirtualService(r -> r.meshName(mesh).virtualServiceName("s")
                        .spec(s -> s.provider(p -> p.virtualNode(v -> v.virtualNodeName("ghost")))));
            } catch (BadRequestException expected) {
                // refused: no revision, no notification
            }
            appMesh.deleteVirtualNode(r -> r.meshName(mesh).virtualNodeName("n"));

            long before = System.currentTimeMillis();
            List<String> payloads = drain(listener.unwrap(PGConnection.class), 4);
            // payload: the mesh, '|', and the database's clock at the write in epoch milliseconds
            assertThat(payloads).hasSize(4).allSatisfy(payload -> {
                assertThat(payload).startsWith(mesh + "|");
                long sentAt = Long.parseLong(payload.substring(payload.lastIndexOf('|') + 1));
                assertThat(sentAt).isBetween(before - 60_000, System.currentTimeMillis() + 1_000);
            });
            assertThat(afterCreate).isEqualTo(1L);
            assertThat(store.revision(mesh)).isEqualTo(4L);
        }
    }

    private static List<String> drain(PGConnection connection, int expected) throws Exception {
        List<String> payloads = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            PGNotification[] notifications = connection.getNotifications(500);
            if (notifications != null) {
                for (PGNotification n : notifications) {
                    payloads.add(n.getParameter());
                }
            }
            if (payloads.size() >= expected) {
                // wait a little longer to see that no extra notification arrives
                PGNotification[] extra = connection.getNotifications(300);
                if (extra != null) {
                    for (PGNotification n : extra) {
                        payloads.add(n.getParameter());
                    }
                }
                break;
            }
        }
        return payloads;
    }
}
