package dev.cxpm.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text a plugin's or a marketplace's author wrote (descriptions, display names, names and paths quoted by validate)
 * printed for people carries no terminal control: an OSC sequence retitles the window or writes the clipboard, ESC[2J
 * clears the screen, U+202E reorders what is shown. Found by the fuzz work of session 12: search, info, validate and
 * pack printed them raw. --json keeps the text as data (escaped by the JSON writer).
 */
class HostileTextOnTerminalTest {

    private static final String HOSTILE = "\u001b]0;OWNED\u0007\u001b]52;c;cm0gLXJmIH4=\u0007\u001b[2J\u202eevil\r\u009b31m";

    @TempDir
    Path tmp;

    private static void assertShownPlainly(CliRun r, String what) {
        String all = (r.stdout() + r.stderr()).replaceAll("\u001b\\[(1;31|1;33|2|0)m", ""); // cxpm's own colours on a terminal
        assertThat(all).as(what).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u202e").doesNotContain("\r")
                .doesNotContain("\u009b").contains("evil");
    }

    @Test
    void searchInfoValidateAndPackShowWhatAPluginsAuthorWroteWithoutTerminalControls() throws Exception {
        Path market = Fixtures.marketplace(tmp.resolve("market"), "fx", "demo", "1.0.0");
        Path manifest = market.resolve("plugins/demo/.codex-plugin/plugin.json");
        ObjectMapper json = new ObjectMapper();
        var m = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(Files.readString(manifest));
        m.put("description", "Demo " + HOSTILE).putObject("interface").put("displayName", "Demo " + HOSTILE);
        m.put("skills", "./skills" + HOSTILE);
        Files.writeString(manifest, m.toString());
        Path mp = market.resolve(".agents/plugins/marketplace.json");
        Files.writeString(mp, Files.readString(mp).replace("\"name\": \"demo\"", "\"name\": \"demo\", \"description\": " + json.writeValueAsString("Demo " + HOSTILE)));
        Map<String, String> env = Fixtures.env(tmp.resolve("codex-home"), tmp.resolve("home"));
        assertThat(CliRun.in(tmp, env, "marketplace", "add", market.toString()).exitCode()).isZero();
        for (Env.Stderr stderr : new Env.Stderr[] {Env.Stderr.OTHER, Env.Stderr.TERMINAL}) {
            Clock clock = Clock.systemUTC();
            assertShownPlainly(CliRun.in(tmp, env, stderr, clock, "search", "demo"), "search");
            assertShownPlainly(CliRun.in(tmp, env, stderr, clock, "info", "demo@fx"), "info");
            assertShownPlainly(CliRun.in(tmp, env, stderr, clock, "validate", market.resolve("plugins/demo").toString()), "validate");
            assertShownPlainly(CliRun.in(tmp, env, stderr, clock, "pack", market.resolve("plugins/demo").toString(), "-o",
                    tmp.resolve("demo.tgz").toString()), "pack");
        }
        CliRun asJson = CliRun.in(tmp, env, "info", "demo@fx", "--json");
        assertThat(json.readTree(asJson.stdout()).toString()).contains("\\u001B]0;OWNED").contains("\u202eevil");
    }

    @Test
    void textPrintedAsCharactersIsFilteredAsTextPrintedAsAString() {
        String text = "warning: " + HOSTILE + " \u001b[1;31mred\u001b[0m\n";
        StringWriter asString = new StringWriter();
        StringWriter asChars = new StringWriter();
        try (PrintableWriter.Out s = new PrintableWriter.Out(new PrintWriter(asString));
             PrintableWriter.Out c = new PrintableWriter.Out(new PrintWriter(asChars))) {
            s.print(text);
            for (int i = 0; i < text.length(); i += 7) { // in pieces, so an escape is split across two writes
                c.print(text.substring(i, Math.min(text.length(), i + 7)).toCharArray());
            }
        }
        assertThat(asChars.toString()).isEqualTo(asString.toString()).contains("evil").contains("\u001b[1;31mred\u001b[0m")
                .doesNotContain("\u0007").doesNotContain("\u202e").doesNotContain("\r").doesNotContain("\u009b");
    }
}
