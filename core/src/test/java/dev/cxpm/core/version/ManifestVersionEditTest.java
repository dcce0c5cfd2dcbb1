package dev.cxpm.core.version;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ManifestVersionEditTest {

    static String bump(String text, String to) {
        return ManifestVersionEdit.replace(text, ManifestVersionEdit.find(text, "plugin.json"), to);
    }

    @Test
    void onlyTheVersionCharactersChange() {
        String before = "{\r\n\t\"name\" : \"demo\",   \"x-unknown\": {\"version\": \"9.9.9\"},\r\n"
                + "\t\"version\":\"1.2.3\" , \"keywords\": [ \"version\" ]\r\n}";
        String after = bump(before, "1.3.0");
        assertThat(after).isEqualTo(before.replace("\"version\":\"1.2.3\"", "\"version\":\"1.3.0\""));
    }

    @Test
    void nestedVersionsAreNotTouchedAndAMissingOneIsReported() {
        String text = "{\"interface\": {\"version\": \"1.0.0\"}, \"list\": [{\"version\": \"2\"}]}";
        assertThat(ManifestVersionEdit.find(text, "plugin.json")).isNull();
    }

    @Test
    void aByteOrderMarkAndEscapesAroundDoNotShiftTheEdit() {
        String before = "\uFEFF{\"description\": \"say \\\"hi\\\" \\u00e9\", \"version\": \"0.1.0\"}\n";
        assertThat(bump(before, "0.2.0")).isEqualTo(before.replace("0.1.0", "0.2.0"));
    }

    @Test
    void aNonStringVersionIsNotAString() {
        assertThat(ManifestVersionEdit.find("{\"version\": 1}", "plugin.json")).isNull();
    }
}
