package dev.meshplane.controlplane.xds;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through its own chromedriver (both installed by
 * {@code src/test/browser/install-chromium.sh}): the console as a person sees it. Screenshots go to
 * {@code target/console-screenshots/}, and each is named in the test's log.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    final ChromeDriver driver;
    private final int port;

    ConsoleBrowser(int port) {
        this.port = port;
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
                // root on CI: chromium's sandbox needs an unprivileged user
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1400,1100");
        driver = new ChromeDriver(service, options);
    }

    void open(String path) {
        driver.get("http://localhost:" + port + path);
    }

    /**
     * Waits (up to the limit) until the condition holds, and returns what it returned. The page redraws its
     * tables as new figures come, so an element gone stale meanwhile is looked up again.
     */
    <T> T await(Duration limit, ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, limit, Duration.ofMillis(200))
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** Clicks the element the selector finds, once it is there (looked up again if redrawn meanwhile). */
    void click(String css) {
        await(Duration.ofSeconds(15), driver -> {
            find(css).click();
            return true;
        });
    }

    /** The text of the first element the selector finds (looked up again if the page redrew it meanwhile). */
    String text(String css) {
        return await(Duration.ofSeconds(15), driver -> find(css).getText());
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Saves what the page shows as {@code target/console-screenshots/<name>.png} and logs where. */
    Path screenshot(String name) throws java.io.IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("Console screenshot: " + file.toAbsolutePath());
        return file;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
