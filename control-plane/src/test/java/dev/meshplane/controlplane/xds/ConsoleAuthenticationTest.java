package dev.meshplane.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console with authentication on: its page and bundle are served to anyone (they hold no data),
 * {@code /ui} redirects to {@code /ui/}, and in a real browser the page asks for a bearer token, says
 * so when a token is refused, and with the admin's token lists the meshes, keeping the token for the tab.
 */
class ConsoleAuthenticationTest extends AuthenticatedServerTest {

    @Test
    void pageAndBundleAreServedWithoutCredentialsAndUiRedirectsToUiSlash() throws Exception {
        HttpResponse<String> redirect = call("GET", "/ui", null, null);
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location")).hasValueSatisfying(location ->
                assertThat(location).endsWith("/ui/"));
        HttpResponse<String> page = call("GET", "/ui/", null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<title>Meshplane console</title>");
        Matcher script = Pattern.compile("src=\"(/ui/assets/[^\"]+\\.js)\"").matcher(page.body());
        assertThat(script.find()).as("the page loads its bundle from this server, under /ui/").isTrue();
        HttpResponse<String> bundle = call("GET", script.group(1), null, null);
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.body()).contains("/v1/meshes/");
        // the data the page shows keeps its own rule
        assertThat(call("GET", "/v20190125/meshes", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void withoutATokenThePageAsksForOneAndWithTheAdminsItListsTheMeshes() throws Exception {
        String mesh = uniqueName("console-auth");
        ok(call("PUT", "/v20190125/meshes", "{\"meshName\": \"" + mesh + "\"}", ADMIN));
        try (ConsoleBrowser browser = new ConsoleBrowser(port)) {
            browser.open("/ui");
            browser.await(Duration.ofSeconds(10), ExpectedConditions.visibilityOfElementLocated(
                    By.id("sign-in")));
            assertThat(browser.find("#sign-in-message").getText()).contains("requires authentication", "bearer token");
            assertThat(browser.find("#app").isDisplayed()).isFalse();
            browser.screenshot("sign-in");

            browser.find("#token").sendKeys("not-a-token");
            browser.find("#sign-in-form button").click();
            browser.await(Duration.ofSeconds(10), ExpectedConditions.textToBePresentInElementLocated(
                    By.id("sign-in-message"), "did not accept this token (401"));

            browser.find("#token").sendKeys(ADMIN);
            browser.find("#sign-in-form button").click();
            browser.await(Duration.ofSeconds(10), ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#mesh-list a[data-mesh='" + mesh + "']")));
            assertThat(browser.find("#sign-in").isDisplayed()).isFalse();
            assertThat(browser.driver.executeScript("return sessionStorage.getItem('meshplane.console.token')")).isEqualTo(ADMIN);

            // the token lasts as long as the tab: a reload lists the meshes without asking again
            browser.driver.navigate().refresh();
            browser.await(Duration.ofSeconds(10), ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#mesh-list a[data-mesh='" + mesh + "']")));
            browser.screenshot("signed-in");
        }
    }

    @Test
    void aTokenThatMayNotReadTheMeshIsToldSo() throws Exception {
        String mine = uniqueName("console-mine");
        String theirs = uniqueName("console-theirs");
        for (String mesh : new String[] {mine, theirs}) {
            ok(call("PUT", "/v20190125/meshes", "{\"meshName\": \"" + mesh + "\"}", ADMIN));
        }
        String viewer = ok(call("POST", "/v1/tokens", "{\"name\":\"console-viewer\",\"role\":\"viewer\",\"meshes\":[\""
                + mine + "\"]}", ADMIN)).get("token").asString();
        try (ConsoleBrowser browser = new ConsoleBrowser(port)) {
            browser.open("/ui/");
            browser.await(Duration.ofSeconds(10), ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
            browser.find("#token").sendKeys(viewer);
            browser.find("#sign-in-form button").click();
            browser.await(Duration.ofSeconds(10), ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#mesh-list a[data-mesh='" + mine + "']")));
            assertThat(browser.all("#mesh-list a[data-mesh='" + theirs + "']")).as("only the meshes it may read").isEmpty();

            browser.open("/ui/#/meshes/" + theirs);
            browser.await(Duration.ofSeconds(10), ExpectedConditions.textToBePresentInElementLocated(
                    By.id("sign-in-message"), "may not read this (403"));
            browser.screenshot("forbidden");
        }
    }
}
