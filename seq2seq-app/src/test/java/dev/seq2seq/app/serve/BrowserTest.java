package dev.seq2seq.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.seq2seq.translator.TinyModels;
import dev.seq2seq.translator.Translator;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: Debian's chromium, headless, driven through chromedriver (both
 * installed by {@code .ci/run}; without them this test is skipped, saying so). It types sentences,
 * translates with the button and with the keyboard alone, and compares what the page shows with
 * the library's output; screenshots go to {@code target/}.
 */
class BrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** Held here: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
    private static final List<java.util.logging.Logger> QUIET_LOGGERS = List.of(
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
            java.util.logging.Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

    @TempDir
    static Path folder;
    static Translator translator;
    static TranslationServer server;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        translator = Translator.load(TinyModels.attention(folder.resolve("model.safetensors")));
        TranslationServer.limitRequestTime(2);
        server = TranslationServer.start(translator, "model.safetensors",
                TranslationServer.Settings.defaults("127.0.0.1", 0), new PrintStream(OutputStream.nullOutputStream()));
        // The test speaks WebDriver only, never the DevTools protocol, so Selenium's notice that it
        // has no DevTools binding for this chromium version is beside the point.
        QUIET_LOGGERS.forEach(logger -> logger.setLevel(java.util.logging.Level.SEVERE));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1000,900");
        // The driver is named, so Selenium never looks for one online.
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.stop(1);
        }
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    private static void screenshot(String name) throws Exception {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.write(target, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static void open() {
        browser.get("http://127.0.0.1:" + server.port() + "/");
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("model"), "attention general"));
    }

    @Test
    void typingASentenceAndPressingTranslateShowsTheLibrarysTranslationAndTheHeatMap() throws Exception {
        browser.manage().window().setSize(new Dimension(1000, 900));
        open();
        WebElement source = browser.findElement(By.id("source"));
        source.clear();
        source.sendKeys("I won!");
        browser.findElement(By.id("nbest")).sendKeys("3");
        browser.findElement(By.id("translate")).click();
        WebElement best = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".result .best")));
        assertEquals(translator.translate(List.of("I won!")).get(0), best.getText());
        List<WebElement> nBest = browser.findElements(By.cssSelector(".result ol li"));
        assertEquals(3, nBest.size(), "three outputs with scores");
        assertTrue(nBest.get(0).getText().matches("(?s).*-?\\d+\\.\\d{3}$"), nBest.get(0).getText());
        List<WebElement> squares = browser.findElements(By.cssSelector(".heatmap svg rect"));
        assertTrue(squares.size() > "I won!".length(), "a heat-map of weights: " + squares.size() + " squares");
        screenshot("page-translation.png");
    }

    @Test
    void theKeyboardAloneTranslatesAndErrorsAreShown() throws Exception {
        open();
        WebElement source = browser.findElement(By.id("source"));
        source.clear();
        source.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
        WebElement error = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertTrue(error.getText().contains("Type a sentence"), error.getText());

        source.sendKeys("Help me.");
        source.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
        WebElement best = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".result .best")));
        assertEquals(translator.translate(List.of("Help me.")).get(0), best.getText());
        assertFalse(browser.findElement(By.id("error")).isDisplayed(), "the error is cleared");

        source.clear();
        source.sendKeys("a".repeat(1_200));
        source.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "413"));
        screenshot("page-error.png");
    }

    @Test
    void aNarrowScreenNeedsNoSidewaysScrolling() throws Exception {
        browser.manage().window().setSize(new Dimension(360, 740));
        open();
        WebElement source = browser.findElement(By.id("source"));
        source.clear();
        source.sendKeys("Who are you?");
        browser.findElement(By.id("translate")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".result .best")));
        Object overflow = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertEquals(0L, ((Number) overflow).longValue(), "the page is no wider than the screen");
        screenshot("page-narrow.png");
        browser.manage().window().setSize(new Dimension(1000, 900));
    }
}
