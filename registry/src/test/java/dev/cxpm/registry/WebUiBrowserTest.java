package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI in a real browser: the system Chromium, driven headless by Playwright, against a
 * real server on 127.0.0.1 seeded with the demo plugins. Skipped only where /usr/bin/chromium is
 * absent and CXPM_REQUIRE_BROWSER is unset; .ci/run installs Chromium and sets the variable, so CI
 * never skips. Screenshots land in registry/target/screenshots/ as the test's report: every page at a desktop (1280)
 * and a phone (390) width, each also checked for accessibility by {@code a11y-check.js}.
 */
class WebUiBrowserTest {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    private static Playwright playwright;
    private static Browser browser;

    @TempDir
    Path data;
    Registry registry;
    RegistryServer server;

    @BeforeAll
    static void launchBrowser() {
        if (System.getenv("CXPM_REQUIRE_BROWSER") == null) {
            assumeThat(Files.isExecutable(CHROMIUM))
                    .as("Chromium at " + CHROMIUM + " (apt-get install chromium); the browser test is skipped without it")
                    .isTrue();
        }
        playwright = Playwright.create();
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run", "--disable-sync")));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void start() throws IOException {
        registry = Registry.embedded(data, Clock.systemUTC());
        DemoPlugins.seed(registry, new Caller("cxpm-demo", List.of(Caller.ADMIN), null));
        server = RegistryServer.start(registry, "127.0.0.1", 0,
                new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    @Test
    void aUserSearchesOpensAPluginPageAndCopiesItsInstallCommand() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        String origin = server.url().toString().replaceAll("/$", "");
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1000, 900))) {
            context.grantPermissions(List.of("clipboard-read", "clipboard-write"), new BrowserContext.GrantPermissionsOptions().setOrigin(origin));
            // what the browser refuses under the pages' Content-Security-Policy, seen two ways: the
            // console (where Chromium reports a blocked inline script or style) and the DOM event
            List<String> console = new ArrayList<>();
            context.addInitScript("window.cspViolations = [];"
                    + "document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));");
            Page page = context.newPage();
            page.onConsoleMessage(m -> {
                if (m.type().equals("error") || m.type().equals("warning")) {
                    console.add(m.type() + ": " + m.text());
                }
            });
            page.onPageError(e -> console.add("page error: " + e));

            page.navigate(origin + "/");
            assertThat(page.evaluate("getComputedStyle(document.querySelector('button')).borderTopLeftRadius"))
                    .as("the served stylesheet applies").isEqualTo("4px");
            assertThat(page.locator("a.name").allTextContents()).hasSize(3);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("1-home.png")).setFullPage(true));

            page.getByRole(AriaRole.SEARCHBOX, new Page.GetByRoleOptions().setName("Search plugins")).fill("postgres");
            page.getByRole(AriaRole.SEARCHBOX, new Page.GetByRoleOptions().setName("Search plugins")).press("Enter");
            page.waitForURL("**/?q=postgres*");
            assertThat(page.locator("a.name").allTextContents()).containsExactly("Postgres Explorer");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("2-search.png")).setFullPage(true));

            page.locator("a.name").first().click();
            page.waitForURL("**/plugins/postgres-explorer");
            String body = page.locator("main").innerText();
            assertThat(page.locator("h1").innerText()).isEqualTo("Postgres Explorer");
            assertThat(body).contains("Explore a PostgreSQL database: schemas, query plans and safe read-only queries.")
                    .contains("explain-plan").contains("Read an EXPLAIN ANALYZE plan and point at the slow node.")
                    .contains("postgres").contains("uvx");
            assertThat(page.locator("#install-command").innerText()).isEqualTo("cxpm install postgres-explorer --registry " + origin);
            assertThat(page.evaluate("getComputedStyle(document.getElementById('copy')).backgroundColor"))
                    .as("the plugin's brand colour, from its accent stylesheet").isEqualTo("rgb(51, 103, 145)");

            // The real clipboard: 127.0.0.1 is a secure context and the permissions are granted above,
            // so headless Chromium lets the button write and the test read navigator.clipboard back.
            page.locator("#copy").click();
            page.waitForFunction("document.getElementById('copy').textContent === 'Copied'");
            assertThat(page.evaluate("navigator.clipboard.readText()")).isEqualTo("cxpm install postgres-explorer --registry " + origin);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("3-plugin.png")).setFullPage(true));

            assertThat(page.evaluate("window.cspViolations")).as("Content-Security-Policy violations").isEqualTo(List.of());
            assertThat(console).as("console errors and warnings").isEmpty();
        }
    }

    /** The pages a visitor sees, each kept as a screenshot at a desktop and a phone width (the test's artifacts). */
    private static final Map<String, String> PAGES = new LinkedHashMap<>();

    static {
        PAGES.put("home", "/");
        PAGES.put("plugin", "/plugins/github-triage");
        PAGES.put("version", "/plugins/github-triage/1.0.0");
        PAGES.put("versions", "/plugins/github-triage?versions");
        PAGES.put("owner", "/owners/cxpm-demo");
        PAGES.put("search-typo", "/?q=githb");
    }

    @Test
    void everyPageAtDesktopAndPhoneWidthsPassesTheAccessibilityCheckAndIsKeptAsAScreenshot() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        String origin = server.url().toString().replaceAll("/$", "");
        String check = accessibilityCheck();
        Map<String, Integer> widths = new LinkedHashMap<>();
        widths.put("desktop", 1280);
        widths.put("phone", 390);
        for (Map.Entry<String, Integer> width : widths.entrySet()) {
            try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(width.getValue(), 900))) {
                context.addInitScript("window.cspViolations = [];"
                        + "document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));");
                Page page = context.newPage();
                List<String> console = new ArrayList<>();
                page.onConsoleMessage(m -> {
                    if (m.type().equals("error") || m.type().equals("warning")) {
                        console.add(m.type() + ": " + m.text());
                    }
                });
                for (Map.Entry<String, String> p : PAGES.entrySet()) {
                    String name = width.getKey() + "-" + p.getKey();
                    assertThat(page.navigate(origin + p.getValue()).status()).as(name).isEqualTo(200);
                    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
                    assertThat(page.evaluate(check)).as(name + ": accessibility problems").isEqualTo(List.of());
                    assertThat(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).as(name + ": no sideways scrolling")
                            .isEqualTo(true);
                    assertThat(page.evaluate("window.cspViolations")).as(name + ": Content-Security-Policy violations").isEqualTo(List.of());
                }
                assertThat(console).as("console errors and warnings").isEmpty();
            }
            for (String p : PAGES.keySet()) {
                assertThat(SCREENSHOTS.resolve(width.getKey() + "-" + p + ".png")).isNotEmptyFile();
            }
        }
    }

    @Test
    void theAccessibilityCheckFindsWhatItLooksFor() throws Exception {
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            page.setContent("<!doctype html><html><body><h1>A</h1><h3>skipped</h3><h1>B</h1><input type=text name=q><img src=x.png>"
                    + "<a href=\"/x\"></a><p style=\"color:#aaa\">faint text</p><button></button></body></html>");
            @SuppressWarnings("unchecked")
            List<String> problems = (List<String>) page.evaluate(accessibilityCheck());
            assertThat(String.join("\n", problems)).contains("html has no lang attribute").contains("image without alt text: x.png")
                    .contains("form control without a label: input").contains("2 h1 headings").contains("heading level skipped: h3 after h1")
                    .contains("link without text: /x").contains("text contrast 2.32:1").contains("button without a name");
            page.setContent("<!doctype html><html lang=en><body><h1>A</h1><h2>B</h2><label>Name <input name=n></label>"
                    + "<img src=x.png alt=\"\"><a href=\"/x\">x</a><p>plain text</p></body></html>");
            assertThat(page.evaluate(accessibilityCheck())).isEqualTo(List.of());
        }
    }

    private static String accessibilityCheck() throws IOException {
        try (var in = WebUiBrowserTest.class.getResourceAsStream("/a11y-check.js")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
