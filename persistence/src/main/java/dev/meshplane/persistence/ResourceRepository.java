package dev.meshplane.persistence;

import dev.meshplane.api.resource.ResourceKind;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface ResourceRepository extends JpaRepository<ResourceEntity, Long> {

    Optional<ResourceEntity> findByKindAndMeshNameAndParentNameAndName(
            ResourceKind kind, String meshName, String parentName, String name);

    List<ResourceEntity> findByKindAndMeshNameAndParentNameAndNameGreaterThanOrderByNameAsc(
            ResourceKind kind, String meshName, String parentName, String after, Limit limit);

    List<ResourceEntity> findByKindAndNameGreaterThanOrderByNameAsc(ResourceKind kind, String after, Limit limit);

    List<ResourceEntity> findByKindAndNameInAndNameGreaterThanOrderByNameAsc(ResourceKind kind,
            java.util.Collection<String> names, String after, Limit limit);

    long countByKind(ResourceKind kind);

    /** The meshes with a virtual node whose awsCloudMap service discovery names this namespace and service. */
    @Query(value = "select distinct mesh_name from resource where kind = 'VIRTUAL_NODE'"
            + " and spec -> 'serviceDiscovery' -> 'awsCloudMap' ->> 'namespaceName' = :namespace"
            + " and spec -> 'serviceDiscovery' -> 'awsCloudMap' ->> 'serviceName' = :service", nativeQuery = true)
    List<String> findMeshesSelecting(String namespace, String service);

    @Query("select r.name from ResourceEntity r where r.kind = dev.meshplane.api.resource.ResourceKind.MESH")
    List<String> findMeshNames();

    /** A mesh's resources without their tags: what translation reads, in one light query. */
    @Query("select new dev.meshplane.persistence.SpecRow(r.kind, r.parentName, r.name, r.uid, r.version, r.spec)"
            + " from ResourceEntity r where r.meshName = :mesh")
    List<SpecRow> findSpecs(String mesh);

    /** The same rows without their specs: enough to tell which specs a reader has already parsed. */
    @Query("select new dev.meshplane.persistence.SpecRow(r.kind, r.parentName, r.name, r.uid, r.version, cast(null as string))"
            + " from ResourceEntity r where r.meshName = :mesh")
    List<SpecRow> findSpecKeys(String mesh);

    @Query("select new dev.meshplane.persistence.SpecRow(r.kind, r.parentName, r.name, r.uid, r.version, r.spec)"
            + " from ResourceEntity r where r.meshName = :mesh and r.uid in :uids")
    List<SpecRow> findSpecsOf(String mesh, java.util.Collection<java.util.UUID> uids);

    long countByKindAndMeshNameAndParentName(ResourceKind kind, String meshName, String parentName);

    List<ResourceEntity> findByMeshNameAndKindNotOrderByKindAscNameAsc(String meshName, ResourceKind kind, Limit limit);

    long countByMeshNameAndKindNot(String meshName, ResourceKind kind);

    List<ResourceEntity> findByKindAndMeshNameAndParentNameOrderByNameAsc(
            ResourceKind kind, String meshName, String parentName, Limit limit);

    @Query("select r from ResourceEntity r join r.references ref"
            + " where r.meshName = :mesh and ref.kind = :kind and ref.name = :name order by r.kind, r.name")
    List<ResourceEntity> findReferencing(String mesh, ResourceKind kind, String name, Limit limit);
}
