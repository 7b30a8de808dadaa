package dev.meshplane.controlplane.appmesh;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The App Mesh reads (Describe*, List*, ListTagsForResource) this replica answered from the
 * database, each kept until a change in its mesh is notified, so that while the database is away
 * they can still be answered, as they were when it left. What is held is only what is known current:
 * a change notification for a mesh drops that mesh's answers (and every ListMeshes page), a read that
 * overlapped such a change is not kept, and everything is dropped when notifications may have been
 * missed (the listener reconnected, the database returned). At most {@link #PER_MESH} answers per mesh.
 */
@Component
public class RememberedReads {

    /** Answers kept per mesh; beyond, new answers are not kept until a change empties the mesh's. */
    static final int PER_MESH = 1000;

    /** The group of answers that change with every mesh: ListMeshes. */
    static final String ALL_MESHES = "";

    /** One read: the operation and its arguments, within a mesh ({@link #ALL_MESHES} for ListMeshes). */
    public record Key(String operation, String mesh, List<Object> arguments) {
    }

    /** When a read started: the answer is kept only if nothing its mesh holds changed meanwhile. */
    public record Stamp(long epoch, long changes) {
    }

    private final Map<String, Map<Key, Object>> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> changes = new ConcurrentHashMap<>();
    private final AtomicLong allChanges = new AtomicLong();
    private final AtomicLong epoch = new AtomicLong();

    /** Taken before reading the database for {@code key}. */
    public Stamp stamp(Key key) {
        return new Stamp(epoch.get(), changes(key.mesh()));
    }

    /** Keeps {@code answer} for {@code key} unless a change was notified since {@code stamp}. */
    public synchronized void remember(Key key, Stamp stamp, Object answer) {
        Map<Key, Object> mesh = answers.computeIfAbsent(key.mesh(), m -> new ConcurrentHashMap<>());
        if (stamp.equals(stamp(key)) && (mesh.size() < PER_MESH || mesh.containsKey(key))) {
            mesh.put(key, answer);
        }
    }

    /** The answer kept for {@code key}, if any. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> recall(Key key) {
        Map<Key, Object> mesh = answers.get(key.mesh());
        return mesh == null ? Optional.empty() : Optional.ofNullable((T) mesh.get(key));
    }

    /** A change in {@code mesh} was notified: its answers, and ListMeshes', may be out of date. */
    public synchronized void meshChanged(String mesh) {
        changes.computeIfAbsent(mesh, m -> new AtomicLong()).incrementAndGet();
        allChanges.incrementAndGet();
        answers.remove(mesh);
        answers.remove(ALL_MESHES);
    }

    /** Notifications may have been missed: nothing held is known current any more. */
    public synchronized void forgetAll() {
        epoch.incrementAndGet();
        answers.clear();
    }

    /** Changes notified in {@code mesh} so far (no counter is made for names only ever read: they come from requests). */
    private long changes(String mesh) {
        if (mesh.equals(ALL_MESHES)) {
            return allChanges.get();
        }
        AtomicLong count = changes.get(mesh);
        return count == null ? 0 : count.get();
    }
}
