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

    long countByKind(ResourceKind kind);

    @org.springframework.data.jpa.repository.EntityGraph(attributePaths = "tags")
    List<ResourceEntity> findByMeshName(String meshName);

    long countByKindAndMeshNameAndParentName(ResourceKind kind, String meshName, String parentName);

    List<ResourceEntity> findByMeshNameAndKindNotOrderByKindAscNameAsc(String meshName, ResourceKind kind, Limit limit);

    long countByMeshNameAndKindNot(String meshName, ResourceKind kind);

    List<ResourceEntity> findByKindAndMeshNameAndParentNameOrderByNameAsc(
            ResourceKind kind, String meshName, String parentName, Limit limit);

    @Query("select r from ResourceEntity r join r.references ref"
            + " where r.meshName = :mesh and ref.kind = :kind and ref.name = :name order by r.kind, r.name")
    List<ResourceEntity> findReferencing(String mesh, ResourceKind kind, String name, Limit limit);
}
