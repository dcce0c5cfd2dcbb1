package dev.cxpm.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.resolve.PluginVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A registry's advisories: read strictly, bounded, and a malformed one never costs the index install needs. */
class AdvisoryTest {
    private static final String SHA = "sha512-" + "A".repeat(86) + "==";

    private static RegistryIndex parse(String advisories) {
        String doc = "{\"name\": \"demo\", \"versions\": [{\"version\": \"1.0.0\", \"integrity\": \"" + SHA + "\", \"tarball\": \"/b\"},"
                + "{\"version\": \"1.2.3\", \"integrity\": \"" + SHA + "\", \"tarball\": \"/b\"}]" + advisories + "}";
        return RegistryIndex.parse(doc.getBytes(StandardCharsets.UTF_8), "test");
    }

    @Test
    void advisoriesApplyToTheVersionsInTheirRange() {
        RegistryIndex index = parse(", \"advisories\": [{\"id\": \"CXPM-2026-0001\", \"range\": \"<1.2.3\", \"severity\": \"high\","
                + " \"summary\": \"The fetch tool follows redirects to file:// URLs.\", \"url\": \"https://advisories.example.test/1\"}]");
        assertThat(index.ignoredAdvisories()).isEmpty();
        assertThat(index.advisoriesFor(PluginVersion.of("1.0.0"))).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo("CXPM-2026-0001");
            assertThat(a.severity()).isEqualTo(Advisory.Level.HIGH);
            assertThat(a.url()).hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("https://advisories.example.test/1"));
        });
        assertThat(index.advisoriesFor(PluginVersion.of("1.2.3"))).isEmpty();
        assertThat(parse("").advisories()).isEmpty();
    }

    @Test
    void aMalformedAdvisoryIsIgnoredWithAReasonAndTheIndexStillReads() {
        RegistryIndex index = parse(", \"advisories\": ["
                + "{\"id\": \"A-1\", \"range\": \"not a range\", \"severity\": \"high\", \"summary\": \"s\"},"
                + "{\"id\": \"A-2\", \"range\": \"\", \"severity\": \"high\", \"summary\": \"s\"},"
                + "{\"id\": \"A-3\", \"range\": \"<2\", \"severity\": \"urgent\", \"summary\": \"s\"},"
                + "{\"id\": \"A-4\", \"range\": \"<2\", \"severity\": \"low\"},"
                + "{\"id\": \"A-5\", \"range\": \"<2\", \"severity\": \"low\", \"summary\": \"s\", \"url\": \"javascript:alert(1)\"},"
                + "{\"id\": \"../../x\", \"range\": \"<2\", \"severity\": \"low\", \"summary\": \"s\"},"
                + "\"text\","
                + "{\"id\": \"A-7\", \"range\": \">=1.0.0 <1.1.0\", \"severity\": \"moderate\", \"summary\": \"Kept. \\u001b[31mred\\u202e\"}]");
        assertThat(index.releases()).hasSize(2);
        assertThat(index.ignoredAdvisories()).containsExactly(
                "advisory #1 (A-1) ignored: `range` is not a SemVer range",
                "advisory #2 (A-2) ignored: no valid `range`",
                "advisory #3 (A-3) ignored: `severity` is not one of low, moderate, high, critical",
                "advisory #4 (A-4) ignored: no valid `summary` (at most 500 characters)",
                "advisory #5 (A-5) ignored: `url` is not an http(s) URL",
                "advisory #6 ignored: no valid `id` (letters, digits, `.`, `_`, `:`, `-`; at most 64)",
                "advisory #7 ignored: not an object");
        assertThat(index.advisories()).singleElement().satisfies(a -> assertThat(a.summary()).isEqualTo("Kept. ?[31mred?"));
        assertThat(parse(", \"advisories\": {\"id\": \"x\"}").ignoredAdvisories()).containsExactly("`advisories` is not an array: all ignored");
    }

    @Test
    void atMostTwoHundredAdvisoriesAreRead() {
        StringBuilder many = new StringBuilder(", \"advisories\": [");
        for (int i = 0; i < 250; i++) {
            many.append(i == 0 ? "" : ",").append("{\"id\": \"A-").append(i).append("\", \"range\": \"<1.0.0\", \"severity\": \"low\", \"summary\": \"s\"}");
        }
        RegistryIndex index = parse(many.append("]").toString());
        assertThat(index.advisories()).hasSize(200);
        assertThat(index.ignoredAdvisories()).containsExactly("50 advisories past the first 200 ignored");
    }
}
