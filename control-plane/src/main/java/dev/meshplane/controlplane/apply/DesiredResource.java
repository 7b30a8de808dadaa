package dev.meshplane.controlplane.apply;

import dev.meshplane.api.model.TagRef;
import dev.meshplane.api.resource.ResourceId;
import java.util.List;

/**
 * One resource of an apply document, decoded and validated as its Create request is.
 *
 * @param index   its position in the document's {@code resources}
 * @param at      how messages name its place in what the user sent: {@code resources[3]}, or the imported
 *                document it came from
 * @param id      where it lives: kind, mesh, router or gateway, name
 * @param spec    its spec as CreateX would store it (a mesh's with App Mesh's defaults filled in)
 * @param request the Create request it was decoded as (kept for the store's request hash)
 * @param tags    the tags it must carry, or null when the document leaves tags as they are
 * @param version the version the document expects it to be at, or null to take the one read when planning
 */
public record DesiredResource(int index, String at, ResourceId id, Record spec, Record request, List<TagRef> tags, Long version) {

    /** How messages name it: {@code resources[3] (route 'r' of virtual router 'vr' in mesh 'm')}. */
    public String label() {
        return at + " (" + id.describe() + ")";
    }
}
