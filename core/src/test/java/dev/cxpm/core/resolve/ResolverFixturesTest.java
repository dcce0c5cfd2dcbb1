package dev.cxpm.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every resolver scenario in {@code src/test/resources/resolve/*.txt}: an index of releases
 * ({@code name version -> dep range, ...}), the project's ranges, optional locked versions, and the
 * expected selection or error. One file per behaviour, its first comment says which.
 */
class ResolverFixturesTest {

    static Stream<Path> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(ResolverFixturesTest.class.getResource("/resolve").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".txt")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void resolvesAsTheFixtureSays(Path fixture) throws IOException {
        Fixture f = Fixture.read(fixture);
        if (f.errorKind != null) {
            assertThatThrownBy(() -> Resolver.resolve(f.project, f.locked, f.index()))
                    .isInstanceOfSatisfying(UserError.class, e -> {
                        assertThat(e.kind()).hasToString(f.errorKind);
                        for (String s : f.contains) {
                            assertThat(e.getMessage()).contains(s);
                        }
                    });
        } else {
            Resolution r = Resolver.resolve(f.project, f.locked, f.index());
            String got = r.selected().values().stream().map(rel -> rel.name() + " " + rel.version())
                    .collect(Collectors.joining(", "));
            assertThat(got).isEqualTo(f.expect);
        }
    }

    /** The text form of one scenario. */
    static final class Fixture {
        final List<PluginRelease> releases = new ArrayList<>();
        final Map<String, VersionRange> project = new LinkedHashMap<>();
        final Map<String, PluginVersion> locked = new LinkedHashMap<>();
        final List<String> contains = new ArrayList<>();
        String expect;
        String errorKind;

        static Fixture read(Path file) throws IOException {
            Fixture f = new Fixture();
            for (String raw : Files.readAllLines(file)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#") || line.equals("index:")) {
                    continue;
                }
                if (line.startsWith("project:")) {
                    for (String[] p : pairs(line)) {
                        f.project.put(p[0], VersionRange.parse(p[1]).orElseThrow());
                    }
                } else if (line.startsWith("locked:")) {
                    for (String[] p : pairs(line)) {
                        f.locked.put(p[0], PluginVersion.of(p[1]));
                    }
                } else if (line.startsWith("expect:")) {
                    f.expect = after(line);
                } else if (line.startsWith("error:")) {
                    f.errorKind = after(line);
                } else if (line.startsWith("contains:")) {
                    f.contains.add(after(line));
                } else {
                    f.releases.add(release(line));
                }
            }
            return f;
        }

        PluginIndex index() {
            return name -> releases.stream().filter(r -> r.name().equals(name)).toList();
        }

        /** "a 1.0.0 -> b ^1, c ~2.0" */
        static PluginRelease release(String line) {
            String[] sides = line.split("->", 2);
            String[] head = sides[0].strip().split("\\s+");
            Map<String, VersionRange> deps = new LinkedHashMap<>();
            if (sides.length > 1) {
                for (String[] p : pairs(":" + sides[1])) {
                    deps.put(p[0], VersionRange.parse(p[1]).orElseThrow());
                }
            }
            return new PluginRelease(head[0], PluginVersion.of(head[1]), deps, "fx");
        }

        private static String after(String line) {
            return line.substring(line.indexOf(':') + 1).strip();
        }

        private static List<String[]> pairs(String line) {
            List<String[]> out = new ArrayList<>();
            for (String item : after(line).split(",")) {
                String t = item.strip();
                int sp = t.indexOf(' ');
                out.add(new String[] {t.substring(0, sp), t.substring(sp + 1).strip()});
            }
            return out;
        }
    }
}
