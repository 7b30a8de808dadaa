package dev.meshplane.persistence;

import jakarta.persistence.LockModeType;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface MeshRevisionRepository extends JpaRepository<MeshRevisionEntity, String> {

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select m from MeshRevisionEntity m where m.meshName = :mesh")
    Optional<MeshRevisionEntity> lock(String mesh);

    @Modifying
    @Query(value = "insert into mesh_revision (mesh_name, revision) values (:mesh, 0) on conflict do nothing",
            nativeQuery = true)
    void ensureExists(String mesh);

    /** Serialises mesh creation across the whole database, so the mesh quota holds under races. */
    @Query(value = "select pg_advisory_xact_lock(7305040011)", nativeQuery = true)
    Object lockMeshCreation();

    @org.springframework.data.jpa.repository.Modifying
    @Query(value = "with p as (delete from authorization_policy where mesh_name = :mesh),"
            + " m as (delete from mesh_mtls where mesh_name = :mesh),"
            + " t as (delete from mesh_tracing where mesh_name = :mesh)"
            + " update mesh_ca set state = 'RETIRED' where scope = 'MESH' and mesh_name = :mesh", nativeQuery = true)
    int deleteMeshSettings(String mesh);

    /** Delivered to every LISTENer when (and only if) the transaction commits. */
    @Query(value = "select pg_notify('mesh_changed', :mesh || '|' || floor(extract(epoch from clock_timestamp()) * 1000)::bigint)",
            nativeQuery = true)
    Object notifyChanged(String mesh);
}
