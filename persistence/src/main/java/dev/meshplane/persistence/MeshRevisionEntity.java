package dev.meshplane.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The revision counter of one mesh, bumped by every write in it. */
@Entity
@Table(name = "mesh_revision")
public class MeshRevisionEntity {

    @Id
    @Column(name = "mesh_name")
    private String meshName;

    @Column(nullable = false)
    private long revision;

    protected MeshRevisionEntity() {
    }

    public String getMeshName() {
        return meshName;
    }

    public long getRevision() {
        return revision;
    }

    void bump() {
        revision++;
    }
}
