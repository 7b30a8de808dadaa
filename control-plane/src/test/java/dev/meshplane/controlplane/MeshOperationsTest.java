package dev.meshplane.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.appmesh.model.BadRequestException;
import software.amazon.awssdk.services.appmesh.model.ConflictException;
import software.amazon.awssdk.services.appmesh.model.CreateMeshResponse;
import software.amazon.awssdk.services.appmesh.model.DeleteMeshResponse;
import software.amazon.awssdk.services.appmesh.model.EgressFilterType;
import software.amazon.awssdk.services.appmesh.model.IpPreference;
import software.amazon.awssdk.services.appmesh.model.ListMeshesResponse;
import software.amazon.awssdk.services.appmesh.model.MeshData;
import software.amazon.awssdk.services.appmesh.model.MeshRef;
import software.amazon.awssdk.services.appmesh.model.MeshSpec;
import software.amazon.awssdk.services.appmesh.model.MeshStatusCode;
import software.amazon.awssdk.services.appmesh.model.NotFoundException;

class MeshOperationsTest extends ServerTest {

    @Test
    void createDescribeUpdateDeleteAMesh() {
        String name = uniqueName("mesh");
        Instant before = Instant.now().minusSeconds(1);
        MeshData created = appMesh.createMesh(r -> r.meshName(name)).mesh();

        assertThat(created.meshName()).isEqualTo(name);
        assertThat(created.metadata().version()).isEqualTo(1L);
        assertThat(created.metadata().arn()).isEqualTo("arn:aws:appmesh:us-east-1:123456789012:mesh/" + name);
        assertThat(created.metadata().meshOwner()).isEqualTo("123456789012");
        assertThat(created.metadata().resourceOwner()).isEqualTo("123456789012");
        assertThat(UUID.fromString(created.metadata().uid())).isNotNull();
        assertThat(created.metadata().createdAt()).isAfter(before).isBeforeOrEqualTo(Instant.now());
        assertThat(created.metadata().lastUpdatedAt()).isEqualTo(created.metadata().createdAt());
        assertThat(created.status().status()).isEqualTo(MeshStatusCode.ACTIVE);
        assertThat(created.spec().egressFilter().type()).as("App Mesh's default").isEqualTo(EgressFilterType.DROP_ALL);

        assertThat(appMesh.describeMesh(r -> r.meshName(name)).mesh()).isEqualTo(created);

        MeshSpec allowAll = MeshSpec.builder().egressFilter(f -> f.type(EgressFilterType.ALLOW_ALL))
                .serviceDiscovery(d -> d.ipPreference(IpPreference.IP_V4_PREFERRED)).build();
        MeshData updated = appMesh.updateMesh(r -> r.meshName(name).spec(allowAll)).mesh();
        assertThat(updated.metadata().version()).isEqualTo(2L);
        assertThat(updated.spec()).isEqualTo(allowAll);
        assertThat(updated.metadata().uid()).isEqualTo(created.metadata().uid());
        assertThat(updated.metadata().createdAt()).isEqualTo(created.metadata().createdAt());
        assertThat(updated.metadata().lastUpdatedAt()).isAfterOrEqualTo(created.metadata().lastUpdatedAt());
        assertThat(appMesh.updateMesh(r -> r.meshName(name).spec(allowAll)).mesh().metadata().version()).isEqualTo(3L);

        DeleteMeshResponse deleted = appMesh.deleteMesh(r -> r.meshName(name));
        assertThat(deleted.mesh().status().status()).isEqualTo(MeshStatusCode.DELETED);
        assertThat(deleted.mesh().metadata().version()).isEqualTo(3L);
        assertThatThrownBy(() -> appMesh.describeMesh(r -> r.meshName(name)))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("mesh '" + name + "' does not exist");
        assertThatThrownBy(() -> appMesh.deleteMesh(r -> r.meshName(name))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aSecondCreateOfTheSameNameConflicts() {
        String name = uniqueName("dup");
        appMesh.createMesh(r -> r.meshName(name));
        assertThatThrownBy(() -> appMesh.createMesh(r -> r.meshName(name)))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("mesh '" + name + "' already exists")
                .satisfies(e -> assertThat(((ConflictException) e).statusCode()).isEqualTo(409));
    }

    @Test
    void clientTokenMakesCreateIdempotent() {
        String name = uniqueName("idem");
        String token = UUID.randomUUID().toString();
        CreateMeshResponse first = appMesh.createMesh(r -> r.meshName(name).clientToken(token));
        CreateMeshResponse again = appMesh.createMesh(r -> r.meshName(name).clientToken(token));
        assertThat(again.mesh()).isEqualTo(first.mesh());
        assertThat(appMesh.describeMesh(r -> r.meshName(name)).mesh().metadata().version()).isEqualTo(1L);

        assertThatThrownBy(() -> appMesh.createMesh(r -> r.meshName(name).clientToken(token)
                .spec(s -> s.egressFilter(f -> f.type(EgressFilterType.ALLOW_ALL)))))
                .as("same token, different request").isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> appMesh.createMesh(r -> r.meshName(name).clientToken(UUID.randomUUID().toString())))
                .as("another token").isInstanceOf(ConflictException.class);
    }

    @Test
    void clientTokenMakesUpdateIdempotent() {
        String name = uniqueName("idem-update");
        appMesh.createMesh(r -> r.meshName(name));
        String token = UUID.randomUUID().toString();
        MeshSpec spec = MeshSpec.builder().egressFilter(f -> f.type(EgressFilterType.ALLOW_ALL)).build();
        assertThat(appMesh.updateMesh(r -> r.meshName(name).spec(spec).clientToken(token)).mesh().metadata().version())
                .isEqualTo(2L);
        assertThat(appMesh.updateMesh(r -> r.meshName(name).spec(spec).clientToken(token)).mesh().metadata().version())
                .as("a retried update is applied once").isEqualTo(2L);
    }

    @Test
    void listsMeshesAcrossPages() {
        String prefix = uniqueName("page");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String name = prefix + "-" + i;
            names.add(name);
            appMesh.createMesh(r -> r.meshName(name));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String current = token;
            ListMeshesResponse page = appMesh.listMeshes(r -> r.limit(3).nextToken(current));
            assertThat(page.meshes()).hasSizeLessThanOrEqualTo(3);
            page.meshes().stream().map(MeshRef::meshName).forEach(seen::add);
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(seen).containsAll(names).doesNotHaveDuplicates().isSorted();
        assertThat(pages).isGreaterThanOrEqualTo(3);

        MeshRef ref = appMesh.listMeshes(r -> r.limit(100)).meshes().stream()
                .filter(m -> m.meshName().equals(names.get(0))).findFirst().orElseThrow();
        MeshData data = appMesh.describeMesh(r -> r.meshName(names.get(0))).mesh();
        assertThat(ref.arn()).isEqualTo(data.metadata().arn());
        assertThat(ref.version()).isEqualTo(1L);
        assertThat(ref.createdAt()).isEqualTo(data.metadata().createdAt());

        // the SDK's paginator follows nextToken by itself
        assertThat(appMesh.listMeshesPaginator(r -> r.limit(2)).meshes().stream().map(MeshRef::meshName))
                .containsAll(names);
    }

    @Test
    void refusesATokenItDidNotIssueAndALimitOutOfRange() {
        assertThatThrownBy(() -> appMesh.listMeshes(r -> r.nextToken("forged")))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("nextToken");
        assertThatThrownBy(() -> appMesh.listMeshes(r -> r.limit(101)))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("limit: must be between 1 and 100");
    }

    @Test
    void meshOwnerMustBeThisServersAccount() {
        String name = uniqueName("owner");
        appMesh.createMesh(r -> r.meshName(name));
        assertThat(appMesh.describeMesh(r -> r.meshName(name).meshOwner("123456789012")).mesh().meshName()).isEqualTo(name);
        assertThatThrownBy(() -> appMesh.describeMesh(r -> r.meshName(name).meshOwner("210987654321")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("210987654321");
    }
}
