package dev.cxpm.core.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.UserError;
import dev.cxpm.core.approve.RunHash;
import dev.cxpm.core.approve.RunSurface;
import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.resolve.VersionRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lockfile as cxpm writes it is read straight from its text, and reads as the full read (the TOML tree) reads it;
 * anything else is left to the full read, which tells what is wrong as it did.
 */
class LockTextTest {

    @TempDir
    Path dir;

    /** Every kind of entry toText writes: each source, dependencies or none, an approval, a registry key. */
    static Lockfile everyKind() {
        RunHash hash = RunSurface.none().hash();
        List<LockedPlugin> plugins = new ArrayList<>(LockfileTest.sample().plugins().values());
        plugins.add(new LockedPlugin("reg-plugin", PluginVersion.of("3.1.4-rc.1+b7"), "reg",
                new ResolvedSource.Registry("https://r.example.test/api/v1/blobs/" + "ab".repeat(64)), LockfileTest.A_SUM, new TreeMap<>(),
                Optional.of(hash), Optional.of("0123456789abcdef")));
        plugins.add(new LockedPlugin("many_deps", PluginVersion.of("0.0.1"), "team",
                new ResolvedSource.LocalPath("./plugins/many_deps"), LockfileTest.B_SUM,
                new TreeMap<>(Map.of("util", VersionRange.parse("~2.0").orElseThrow(), "app", VersionRange.parse(">=1.0.0 <2").orElseThrow(),
                        "reg-plugin", VersionRange.parse("*").orElseThrow())), Optional.of(hash), Optional.empty()));
        return new Lockfile(plugins);
    }

    /** The full read's lockfile of text: a comment line after it leaves its meaning alone and is never cxpm's own text. */
    private Lockfile fullRead(String text) {
        String commented = text + "# a comment\n";
        assertThat(LockText.read(commented)).as("a comment: the full read's").isNull();
        return Lockfile.parse(dir.resolve("cxpm.lock"), commented);
    }

    @Test
    void whatCxpmWritesIsReadAsTheFullReadReadsIt() {
        for (Lockfile lock : List.of(LockfileTest.sample(), everyKind(), new Lockfile(List.of()))) {
            String text = lock.toText();
            Lockfile read = LockText.read(text);
            assertThat(read).as(text).isNotNull();
            assertThat(read.toText()).isEqualTo(text).isEqualTo(fullRead(text).toText());
            assertThat(read.plugins().keySet()).containsExactlyElementsOf(fullRead(text).plugins().keySet());
            assertThat(Lockfile.parse(dir.resolve("cxpm.lock"), text).toText()).isEqualTo(text);
        }
    }

    @Test
    void anythingElseIsLeftToTheFullRead() {
        String text = everyKind().toText();
        String app = text.substring(text.indexOf("[[plugin]]"), text.indexOf("\n[[plugin]]", text.indexOf("[[plugin]]") + 1) + 1);
        List<String> others = List.of(
                text.replace("\n", "\r\n"),
                text.replace("version = 2\n", "version = 2 # format\n"),
                text.replace("version = 2\n", "version=2\n"),
                text.replace("version = 2\n", "version = 3\n"),
                text.replaceFirst("# This file", "#  This file"),
                text.replace("name = \"app\"", "name = \"a\\u0070p\""),
                text.replace("name = \"app\"", "name = 'app'"),
                text.replace("name = \"app\"", "name = \"  \""),
                text.replace("name = \"app\"", "name = \"../app\""),
                text.replace("marketplace = \"local\"", "marketplace = \"lo/cal\""),
                text.replace("version = \"1.0.0\"", "version = \"..\""),
                text.replace("name = \"app\"\n", ""),
                text.replace("name = \"app\"\n", "name = \"app\"\nname = \"app\"\n"),
                text.replace("name = \"app\"\n", "name = \"app\"\nextra = \"x\"\n"),
                text.replace("integrity = \"" + LockfileTest.A_SUM, "integrity = \"sha512-nope"),
                text.replace("approved = \"sha256-", "approved = \"sha256-x"),
                text.replace("registry-key = \"0123456789abcdef\"", "registry-key = \"../../etc\""),
                text.replace("source = \"path+./plugins/app\"", "source = \"path+/etc/passwd\""),
                text.replace("dependencies = { util = \"~2.0\" }", "dependencies = {util = \"~2.0\"}"),
                text.replace("dependencies = { util = \"~2.0\" }", "dependencies = { \"util\" = \"~2.0\" }"),
                text.replace("dependencies = { util = \"~2.0\" }", "dependencies = { util = \"~2.0\", util = \"~2.0\" }"),
                text.replace("dependencies = { util = \"~2.0\" }", "dependencies = { util = \"not a range\" }"),
                text.replace("dependencies = { util = \"~2.0\" }", "dependencies = { gone = \"~2.0\" }"),
                text.replace("dependencies = { util = \"~2.0\" }\n", ""),
                text + "\n" + app,
                text + "\n",
                text.stripTrailing());
        for (String other : others) {
            assertThat(other).as("the mutation changed the text").isNotEqualTo(text);
            assertThat(LockText.read(other)).as(other).isNull();
        }
    }

    @Test
    void everyCutOfTheFileIsLeftToTheFullReadOrReadsAsItReadsIt() {
        String text = everyKind().toText();
        for (int cut = 0; cut <= text.length(); cut++) {
            String prefix = text.substring(0, cut);
            Lockfile read = LockText.read(prefix);
            if (read != null) {
                assertThat(read.toText()).as(prefix).isEqualTo(prefix).isEqualTo(fullRead(prefix).toText());
            }
        }
    }

    /**
     * Seeded random edits of every kind of entry (a character deleted, inserted or replaced from TOML's own syntax and
     * the values' alphabets; a line dropped or doubled): whatever the text reader takes, the full read takes too, as the
     * same lockfile (plugins in another order included: both sort them). A reader the hostile-input rules trust must
     * never accept what the full read refuses or read it otherwise.
     */
    @Test
    void randomEditsAreLeftToTheFullReadOrReadAsItReadsThem() {
        String text = everyKind().toText();
        String alphabet = "\"\\ \n\t\r=,{}[]#.-_/+~^<>*'0123456789abcdefxyzABZ\u00e9";
        java.util.Random random = new java.util.Random(15);
        int taken = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder m = new StringBuilder(text);
            for (int edits = 1 + random.nextInt(3); edits > 0 && !m.isEmpty(); edits--) {
                int at = random.nextInt(m.length());
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(5)) {
                    case 0 -> m.deleteCharAt(at);
                    case 1 -> m.insert(at, c);
                    case 2 -> m.setCharAt(at, c);
                    case 3 -> { // a line dropped
                        int start = m.lastIndexOf("\n", at) + 1;
                        int end = m.indexOf("\n", at);
                        m.delete(start, end < 0 ? m.length() : end + 1);
                    }
                    default -> { // a line doubled
                        int start = m.lastIndexOf("\n", at) + 1;
                        int end = m.indexOf("\n", at);
                        m.insert(start, m.substring(start, end < 0 ? m.length() : end + 1));
                    }
                }
            }
            String edited = m.toString();
            Lockfile read = LockText.read(edited);
            if (read == null) {
                continue;
            }
            taken++;
            Lockfile full;
            try {
                full = fullRead(edited);
            } catch (UserError e) {
                throw new AssertionError("the text reader took what the full read refuses (" + e.getMessage() + "):\n" + edited, e);
            }
            assertThat(read.toText()).as("taken by the text reader: %s", edited).isEqualTo(full.toText());
        }
        assertThat(taken).as("edits that still read (a value changed within its rules)").isPositive();
    }

    @Test
    void aLockfileTheFullReadRefusesIsRefusedWithTheSameWords() {
        String text = LockfileTest.sample().toText().replace("integrity = \"" + LockfileTest.A_SUM, "integrity = \"sha512-nope");
        UserError e = org.assertj.core.api.Assertions.catchThrowableOfType(UserError.class,
                () -> Lockfile.parse(dir.resolve("cxpm.lock"), text));
        assertThat(e.getMessage()).contains("cxpm.lock:10: plugin `app` has a malformed integrity");
    }
}
