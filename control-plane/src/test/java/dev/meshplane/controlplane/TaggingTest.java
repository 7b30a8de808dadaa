package dev.meshplane.controlplane;

import static dev.meshplane.controlplane.Fixtures.httpRoute;
import static dev.meshplane.controlplane.Fixtures.node;
import static dev.meshplane.controlplane.Fixtures.router;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.appmesh.model.BadRequestException;
import software.amazon.awssdk.services.appmesh.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.appmesh.model.NotFoundException;
import software.amazon.awssdk.services.appmesh.model.TagRef;
import software.amazon.awssdk.services.appmesh.model.TooManyTagsException;

class TaggingTest extends ServerTest {

    private static TagRef tag(String key, String value) {
        return TagRef.builder().key(key).value(value).build();
    }

    @Test
    void tagsGivenAtCreateAndAddedLaterAreListedInKeyOrder() {
        String mesh = uniqueName("tags");
        String arn = appMesh.createMesh(r -> r.meshName(mesh).tags(tag("team", "platform"), tag("env", "prod")))
                .mesh().metadata().arn();
        assertThat(appMesh.listTagsForResource(r -> r.resourceArn(arn)).tags())
                .containsExactly(tag("env", "prod"), tag("team", "platform"));

        appMesh.tagResource(r -> r.resourceArn(arn).tags(tag("team", "learning"), tag("cost-center", "42")));
        assertThat(appMesh.listTagsForResource(r -> r.resourceArn(arn)).tags())
                .containsExactly(tag("cost-center", "42"), tag("env", "prod"), tag("team", "learning"));

        appMesh.untagResource(r -> r.resourceArn(arn).tagKeys("env", "not-there"));
        assertThat(appMesh.listTagsForResource(r -> r.resourceArn(arn)).tags())
                .containsExactly(tag("cost-center", "42"), tag("team", "learning"));
        assertThat(appMesh.describeMesh(r -> r.meshName(mesh)).mesh().metadata().version())
                .as("tags are not part of the spec").isEqualTo(1L);
    }

    @Test
    void tagsOfNestedResourcesAndPagination() {
        String mesh = uniqueName("tags-nested");
        appMesh.createMesh(r -> r.meshName(mesh));
        appMesh.createVirtualNode(r -> r.meshName(mesh).virtualNodeName("v").spec(node("v.local")));
        appMesh.createVirtualRouter(r -> r.meshName(mesh).virtualRouterName("rt").spec(router()));
        String arn = appMesh.createRoute(r -> r.meshName(mesh).virtualRouterName("rt").routeName("all")
                .spec(httpRoute("/", "v", 1)).tags(IntStream.range(0, 7).mapToObj(i -> tag("k" + i, "v" + i)).toList()))
                .route().metadata().arn();

        List<TagRef> seen = new ArrayList<>();
        String token = null;
        do {
            String current = token;
            ListTagsForResourceResponse page = appMesh.listTagsForResource(r -> r.resourceArn(arn).limit(3).nextToken(current));
            assertThat(page.tags()).hasSizeLessThanOrEqualTo(3);
            seen.addAll(page.tags());
            token = page.nextToken();
        } while (token != null);
        assertThat(seen).extracting(TagRef::key).containsExactly("k0", "k1", "k2", "k3", "k4", "k5", "k6");
    }

    @Test
    void moreThanFiftyTagsIsTooMany() {
        String mesh = uniqueName("tags-many");
        String arn = appMesh.createMesh(r -> r.meshName(mesh)
                .tags(IntStream.range(0, 50).mapToObj(i -> tag("k" + i, "v")).toList())).mesh().metadata().arn();
        assertThatThrownBy(() -> appMesh.tagResource(r -> r.resourceArn(arn).tags(tag("one-more", "v"))))
                .isInstanceOf(TooManyTagsException.class).hasMessageContaining("51 tags");
        appMesh.tagResource(r -> r.resourceArn(arn).tags(tag("k0", "replaced")));
        assertThatThrownBy(() -> appMesh.createMesh(r -> r.meshName(uniqueName("tags-create"))
                .tags(IntStream.range(0, 51).mapToObj(i -> tag("k" + i, "v")).toList())))
                .isInstanceOf(TooManyTagsException.class);
    }

    @Test
    void unknownAndForeignArnsAreRefused() {
        assertThatThrownBy(() -> appMesh.listTagsForResource(r -> r.resourceArn(
                "arn:aws:appmesh:us-east-1:123456789012:mesh/" + uniqueName("nope"))))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> appMesh.tagResource(r -> r.resourceArn("arn:aws:appmesh:eu-west-1:999999999999:mesh/x")
                .tags(tag("a", "b")))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> appMesh.listTagsForResource(r -> r.resourceArn(
                "arn:aws:appmesh:us-east-1:123456789012:mesh/x/bogus/y")))
                .isInstanceOf(BadRequestException.class);
        String mesh = uniqueName("dup-tag");
        assertThatThrownBy(() -> appMesh.createMesh(r -> r.meshName(mesh).tags(tag("a", "1"), tag("a", "2"))))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("tags[1].key: 'a' appears more than once");
    }
}
