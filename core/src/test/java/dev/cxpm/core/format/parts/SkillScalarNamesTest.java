package dev.cxpm.core.format.parts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.testkit.CodexClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SKILL.md whose {@code name} or {@code description} is a plain word YAML 1.1 reads as a boolean, a number or a date
 * ({@code name: off}, {@code yes}, {@code 0x10}, {@code 1e3}, {@code 2024-01-01}) is read by the real Codex CLI
 * (0.171.0, serde_yaml) as that text: the skill is named {@code off}. cxpm's YAML read it as {@code false}, so
 * {@code validate} said the skill had no name. Only YAML's null ({@code ~}, {@code null}, nothing) is no value, and
 * Codex then names the skill after its directory.
 */
class SkillScalarNamesTest {
    /** Each value as both Codex and cxpm must read it: empty where it is no name at all. */
    private static final Map<String, String> VALUES = new LinkedHashMap<>();

    static {
        for (String text : List.of("off", "on", "yes", "no", "y", "n", "true", "False", "OFF", "0x10", "0o17", "0b11",
                "010", "123", "-7", "+1", "1e3", "1.0", "1_000", ".inf", "-.Inf", ".NaN", "2024-01-01",
                "2001-12-14t21:59:43.10-05:00", "12:30:00")) {
            VALUES.put(text, text);
        }
        for (String none : List.of("~", "null", "Null", "NULL", "")) {
            VALUES.put(none, "");
        }
    }

    @Test
    void aPlainScalarIsItsTextAndOnlyNullIsNoName() {
        for (Map.Entry<String, String> v : VALUES.entrySet()) {
            FrontMatter fm = FrontMatter.parse("---\nname: " + v.getKey() + "\ndescription: " + v.getKey() + "\n---\nbody\n");
            assertThat(fm.error()).as(v.getKey()).isEmpty();
            assertThat(text(fm.yaml().path("name"))).as("name: %s", v.getKey()).isEqualTo(v.getValue());
            assertThat(text(fm.yaml().path("description"))).as("description: %s", v.getKey()).isEqualTo(v.getValue());
        }
    }

    /** The real Codex CLI lists each skill under the name it read (its directory's when there is none). */
    @Test
    void theRealCodexReadsEachNameAsCxpmDoes(@TempDir Path tmp) throws Exception {
        Path codexHome = tmp.resolve("codex-home");
        Map<String, String> expected = new TreeMap<>();
        int i = 0;
        for (Map.Entry<String, String> v : VALUES.entrySet()) {
            String dir = String.format("k%02d", i++);
            Path skill = Files.createDirectories(codexHome.resolve("skills").resolve(dir));
            Files.writeString(skill.resolve("SKILL.md"), "---\nname: " + v.getKey() + "\ndescription: about " + dir + "\n---\nbody\n");
            String cxpm = text(FrontMatter.parse(Files.readString(skill.resolve("SKILL.md"))).yaml().path("name"));
            assertThat(cxpm).as("cxpm reads name: %s", v.getKey()).isEqualTo(v.getValue());
            expected.put(dir, cxpm.isEmpty() ? dir : cxpm);
        }
        CodexClient.Result r = new CodexClient(codexHome, Files.createDirectories(tmp.resolve("home"))).run(tmp, "debug", "prompt-input");
        assertThat(r.exitCode()).as(r.output()).isZero();
        Map<String, String> codex = new TreeMap<>();
        Matcher m = Pattern.compile("- ([^\\n\\\\]*?): about (k\\d\\d) \\(file: ").matcher(r.stdout());
        while (m.find()) {
            codex.put(m.group(2), m.group(1));
        }
        assertThat(codex).as("the names Codex lists").isEqualTo(expected);
    }

    private static String text(JsonNode node) {
        return Optional.of(node).filter(JsonNode::isTextual).map(JsonNode::asText).filter(s -> !s.isBlank()).orElse("");
    }
}
