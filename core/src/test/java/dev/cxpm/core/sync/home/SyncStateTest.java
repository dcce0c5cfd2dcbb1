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

    /**
     * The state keeps the bytes it was read from: the sync stamp of a no-op sync records those (it read the file again,
     * and so recorded whatever was there at the end, not what the sync worked from); none from a state that is not JSON.
     */
    @Test
    void keepsTheBytesItWasReadFrom() throws Exception {
        CodexHome home = new CodexHome(Files.createDirectories(tmp.resolve("codex")));
        assertThat(SyncState.read(home).bytes()).as("no file").isEmpty();
        SyncState first = SyncState.read(home);
        first.put("demo@fx", new SyncState.Entry("1.0.0", "sha512-abc", "/p"));
        first.write();
        Path file = SyncState.fileOf(home);
        byte[] synced = Files.readAllBytes(file);
        assertThat(first.bytes()).hasValueSatisfying(b -> assertThat(b).isEqualTo(synced));

        SyncState read = SyncState.read(home);
        Files.writeString(file, "{\"plugins\": {}}\n");
        assertThat(read.bytes()).as("the bytes read, not the file's now").hasValueSatisfying(b -> assertThat(b).isEqualTo(synced));

        Files.writeString(file, "{\"plugins\": ");
        assertThat(SyncState.read(home).bytes()).as("not JSON").isEmpty();
    }

    /**
     * A sync's own state (ids, versions, integrities and a project path of printable ASCII) is written by hand, not
     * through Jackson's tree: the same bytes an ObjectMapper writes, for one plugin, many, and none; a state with one
     * string Jackson escapes or that is not ASCII is written through the tree, whole.
     */
    @Test
    void aPlainStateIsWrittenByHandAsAnObjectMapperWritesIt() throws Exception {
        CodexHome home = new CodexHome(Files.createDirectories(tmp.resolve("codex")));
        SyncState state = SyncState.read(home);
        state.write();
        assertThat(state.plainBytes()).as("no plugins: through the tree").isNull();
        assertThat(Files.readString(SyncState.fileOf(home))).isEqualTo(JACKSON.writeValueAsString(expected(state)));

        for (int i = 1; i <= 300; i++) {
            state.put("plugin-" + i + "@fx", new SyncState.Entry("1." + i + ".0", i % 7 == 0 ? "" : "sha512-Ab+/" + i + "==",
                    i % 2 == 0 ? "/srv/team project/p~!#$%&'()*+,-./:;<=>?@[]^_`{|}" : "/home/me/p"));
            if (i == 1 || i == 300) {
                state.write();
                assertThat(state.plainBytes()).as("printable ASCII: by hand").isNotNull();
                assertThat(Files.readString(SyncState.fileOf(home), StandardCharsets.UTF_8))
                        .isEqualTo(JACKSON.writeValueAsString(expected(state)));
            }
        }
        assertThat(SyncState.read(home).plugins()).isEqualTo(state.plugins());

        for (String odd : new String[] {"/home/caf\u00e9", "/p/\"q\"", "/p\\q", "/p\tq", "/p\u007f"}) {
            SyncState withOdd = SyncState.read(home);
            withOdd.put("zz@fx", new SyncState.Entry("1.0.0", "sha512-x", odd));
            assertThat(withOdd.plainBytes()).as(odd).isNull();
            withOdd.write();
            assertThat(Files.readString(SyncState.fileOf(home), StandardCharsets.UTF_8)).as(odd)
                    .isEqualTo(JACKSON.writeValueAsString(expected(withOdd)));
        }
    }

    private static ObjectNode expected(SyncState state) {
        ObjectNode expected = JACKSON.createObjectNode();
        ObjectNode plugins = expected.putObject("plugins");
        state.plugins().forEach((id, e) -> plugins.putObject(id).put("version", e.version()).put("integrity", e.integrity())
                .put("project", e.project()));
        return expected;
    }
}
