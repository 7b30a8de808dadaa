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

    private static final Duration WAIT = Duration.ofSeconds(10);

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

    /** One browser through the sign-in's cases: none, refused, too narrow (403), forgotten, the admin's. */
    @Test
    void withoutATokenThePageAsksForOneAndSaysWhyATokenIsRefused() throws Exception {
        String mine = uniqueName("console-mine");
        String theirs = uniqueName("console-theirs");
        for (String mesh : new String[] {mine, theirs}) {
            ok(call("PUT", "/v20190125/meshes", "{\"meshName\": \"" + mesh + "\"}", ADMIN));
        }
        String viewer = ok(call("POST", "/v1/tokens", "{\"name\":\"console-viewer\",\"role\":\"viewer\",\"meshes\":[\""
                + mine + "\"]}", ADMIN)).get("token").asString();
        try (ConsoleBrowser browser = new ConsoleBrowser(port)) {
            browser.open("/ui");
            browser.await(WAIT, ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
            assertThat(browser.text("#sign-in-message")).contains("requires authentication", "bearer token");
            assertThat(browser.find("#app").isDisplayed()).isFalse();
            browser.screenshot("sign-in");

            signIn(browser, "not-a-token");
            browser.await(WAIT, ExpectedConditions.textToBePresentInElementLocated(
                    By.id("sign-in-message"), "did not accept this token (401"));

            signIn(browser, viewer);
            browser.await(WAIT, ExpectedConditions.presenceOfElementLocated(meshLink(mine)));
            assertThat(browser.driver.findElements(meshLink(theirs))).as("only the meshes it may read").isEmpty();
            browser.open("/ui/#/meshes/" + theirs);
            browser.await(WAIT, ExpectedConditions.textToBePresentInElementLocated(
                    By.id("sign-in-message"), "may not read this (403"));
            browser.screenshot("forbidden");

            signIn(browser, ADMIN);
            browser.await(WAIT, ExpectedConditions.presenceOfElementLocated(meshLink(theirs)));
            assertThat(browser.find("#sign-in").isDisplayed()).isFalse();
            assertThat(browser.driver.executeScript("return sessionStorage.getItem('meshplane.console.token')")).isEqualTo(ADMIN);
            // the token lasts as long as the tab: a reload shows the meshes without asking again
            browser.driver.navigate().refresh();
            browser.await(WAIT, ExpectedConditions.presenceOfElementLocated(meshLink(mine)));
            browser.screenshot("signed-in");

            browser.click("#sign-out");
            browser.await(WAIT, ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
            assertThat(browser.driver.executeScript("return sessionStorage.getItem('meshplane.console.token')")).isNull();
        }
    }

    private static By meshLink(String mesh) {
        return By.cssSelector("#mesh-list a[data-mesh='" + mesh + "']");
    }

    private static void signIn(ConsoleBrowser browser, String token) {
        browser.find("#token").sendKeys(token);
        browser.find("#sign-in-form button").click();
    }
}
