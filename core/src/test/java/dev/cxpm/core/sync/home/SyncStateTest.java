package dev.cxpm.core.sync.home;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.codexhome.CodexHome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sync-state.json is read and written without an ObjectMapper (a sync on a fresh JVM would pay tens of ms for one):
 * the bytes must stay those an ObjectMapper with INDENT_OUTPUT wrote, so a state written by an older cxpm reads the
 * same and the other way round.
 */
class SyncStateTest {
    private static final ObjectMapper JACKSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @TempDir
    Path tmp;

    @Test
    void writesTheBytesAnObjectMapperWroteAndReadsThemBack() throws Exception {
        CodexHome home = new CodexHome(Files.createDirectories(tmp.resolve("codex")));
        SyncState state = SyncState.read(home);
        assertThat(state.plugins()).isEmpty();
        Map<String, SyncState.Entry> entries = Map.of("demo@fx", new SyncState.Entry("1.0.0", "sha512-abc+/=", "/home/me/café \"q\" \\ \t"),
                "other@team", new SyncState.Entry("2.0.0-rc.1", "sha512-def", "/srv/p\u2028\u0001"));
        entries.forEach(state::put);
        state.write();

        ObjectNode expected = JACKSON.createObjectNode();
        ObjectNode plugins = expected.putObject("plugins");
        new java.util.TreeMap<>(entries).forEach((id, e) -> plugins.putObject(id).put("version", e.version())
                .put("integrity", e.integrity()).put("project", e.project()));
        Path file = SyncState.fileOf(home);
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(JACKSON.writeValueAsString(expected));
        assertThat(SyncState.read(home).plugins()).isEqualTo(new java.util.TreeMap<>(entries));

        Files.writeString(file, "{\"plugins\": {\"demo@fx\": {\"version\": \"1.0.0\", \"integrity\": \"i\", \"project\": \"p\"}, ");
        assertThat(SyncState.read(home).plugins()).as("a state that is not JSON is as none").isEmpty();
    }
}
