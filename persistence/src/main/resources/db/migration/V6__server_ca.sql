-- Meshplane's own CA (it certifies the xDS and REST ports) was stored as the CA of a mesh named
-- '_meshplane', a name users could create and then administer. It moves out of the meshes'
-- namespace: a CA row is now either a mesh's (scope MESH) or the server's (scope SERVER), and no
-- API call reaches SERVER rows. The row keeps '_meshplane' as its key: that name is bound into its
-- encrypted private key, and mesh names beginning with '_meshplane' are now refused.
ALTER TABLE mesh_ca ADD COLUMN scope text NOT NULL DEFAULT 'MESH' CHECK (scope IN ('MESH', 'SERVER'));
UPDATE mesh_ca SET scope = 'SERVER' WHERE mesh_name = '_meshplane';
DROP INDEX mesh_ca_one_active;
CREATE UNIQUE INDEX mesh_ca_one_active ON mesh_ca (scope, mesh_name) WHERE state = 'ACTIVE';
DROP INDEX mesh_ca_by_mesh;
CREATE INDEX mesh_ca_by_mesh ON mesh_ca (scope, mesh_name, state);
