package dev.meshplane.controlplane.appmesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a replica holds for an outage is only what it knows to be current: an answer read while a
 * change of its mesh was notified is not kept, a change drops its mesh's answers and every ListMeshes
 * page but no other mesh's, and missed notifications drop everything.
 */
class RememberedReadsTest {

    private final RememberedReads reads = new RememberedReads();

    private static RememberedReads.Key describe(String mesh, String name) {
        return new RememberedReads.Key("describe", mesh, List.of(name));
    }

    private static final RememberedReads.Key LIST_MESHES = new RememberedReads.Key("list", RememberedReads.ALL_MESHES, List.of());

    private void read(RememberedReads.Key key, String answer) {
        reads.remember(key, reads.stamp(key), answer);
    }

    @Test
    void aChangeDropsItsMeshAndTheMeshListOnly() {
        read(describe("a", "x"), "a/x");
        read(describe("b", "y"), "b/y");
        read(LIST_MESHES, "a, b");
        assertThat(reads.<String>recall(describe("a", "x"))).hasValue("a/x");

        reads.meshChanged("a");

        assertThat(reads.recall(describe("a", "x"))).isEmpty();
        assertThat(reads.recall(LIST_MESHES)).isEmpty();
        assertThat(reads.<String>recall(describe("b", "y"))).hasValue("b/y");
    }

    @Test
    void aReadThatOverlappedAChangeIsNotKept() {
        RememberedReads.Key key = describe("a", "x");
        RememberedReads.Stamp before = reads.stamp(key);
        reads.meshChanged("a"); // notified while the read was under way: its answer may be the old one
        reads.remember(key, before, "old a/x");
        assertThat(reads.recall(key)).isEmpty();

        RememberedReads.Stamp listBefore = reads.stamp(LIST_MESHES);
        reads.meshChanged("b");
        reads.remember(LIST_MESHES, listBefore, "a");
        assertThat(reads.recall(LIST_MESHES)).as("any mesh's change touches ListMeshes").isEmpty();

        RememberedReads.Stamp otherBefore = reads.stamp(describe("c", "z"));
        reads.meshChanged("a");
        reads.remember(describe("c", "z"), otherBefore, "c/z");
        assertThat(reads.<String>recall(describe("c", "z"))).as("another mesh's change does not").hasValue("c/z");
    }

    @Test
    void missedNotificationsDropEverythingAndReadsUnderWayWithIt() {
        read(describe("a", "x"), "a/x");
        RememberedReads.Key key = describe("b", "y");
        RememberedReads.Stamp before = reads.stamp(key);

        reads.forgetAll();
        reads.remember(key, before, "b/y");

        assertThat(reads.recall(describe("a", "x"))).isEmpty();
        assertThat(reads.recall(key)).isEmpty();
    }

    @Test
    void aMeshKeepsAtMostItsShareOfAnswers() {
        for (int i = 0; i < RememberedReads.PER_MESH + 10; i++) {
            read(describe("a", "n" + i), "a/n" + i);
        }
        assertThat(reads.recall(describe("a", "n" + (RememberedReads.PER_MESH - 1)))).isPresent();
        assertThat(reads.recall(describe("a", "n" + RememberedReads.PER_MESH))).isEmpty();
        read(describe("a", "n0"), "a/n0 again");
        assertThat(reads.<String>recall(describe("a", "n0"))).as("a kept answer is still refreshed").hasValue("a/n0 again");
    }
}
