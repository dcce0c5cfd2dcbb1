package dev.cxpm.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolutionWhyTest {

    private static PluginIndex index(String... lines) {
        List<PluginRelease> all = java.util.Arrays.stream(lines).map(ResolverFixturesTest.Fixture::release).toList();
        return name -> all.stream().filter(r -> r.name().equals(name)).toList();
    }

    private static String chains(Resolution r, String plugin) {
        return String.join("\n", r.why(plugin).stream()
                .map(chain -> String.join(" -> ", chain.stream().map(Requirement::toString).toList())).toList());
    }

    @Test
    void whyNamesTheProjectDeclarationForADirectPlugin() {
        Resolution r = Resolver.resolve(Map.of("a", VersionRange.parse("^1").orElseThrow()), Map.of(), index("a 1.0.0"));
        assertThat(chains(r, "a")).isEqualTo("cxpm.toml needs a ^1");
    }

    @Test
    void whyShowsEveryPathThatBringsInASharedDependency() {
        Resolution r = Resolver.resolve(
                Map.of("a", VersionRange.ANY, "b", VersionRange.ANY), Map.of(),
                index("a 1.0.0 -> util ^1", "b 2.0.0 -> util >=1.1", "util 1.2.0"));
        assertThat(chains(r, "util")).isEqualTo(
                "cxpm.toml needs a * -> a@1.0.0 needs util ^1\ncxpm.toml needs b * -> b@2.0.0 needs util >=1.1");
    }

    @Test
    void whyIsEmptyForAPluginNotInTheResolution() {
        Resolution r = Resolver.resolve(Map.of("a", VersionRange.ANY), Map.of(), index("a 1.0.0", "b 1.0.0"));
        assertThat(r.why("b")).isEmpty();
    }

    @Test
    void versionRangeRejectsTextThatIsNeitherRangeNorVersion() {
        assertThat(VersionRange.parse("^1.2")).isPresent();
        assertThat(VersionRange.parse(">=1 <2 || ^3")).isPresent();
        assertThat(VersionRange.parse("local")).isPresent();
        assertThat(VersionRange.parse("not a range!")).isEmpty();
        assertThat(VersionRange.parse("1.0/../x")).isEmpty();
    }

    @Test
    void chainsSharingALongPathPrintItOnceSoWhyStaysLinearInThePlugins() {
        // c0 -> c1 -> ... -> c199, and every ci also needs c199: 199 chains, the one through ci i + 2 links long, so
        // printed in full they took n^2 / 2 links (4,000 plugins: 256 MB of text, and the daemon ran out of memory)
        int n = 200;
        java.util.Map<String, List<PluginRelease>> index = new java.util.HashMap<>();
        String last = "c" + (n - 1);
        for (int i = 0; i < n; i++) {
            java.util.Map<String, VersionRange> deps = new java.util.TreeMap<>();
            if (i + 1 < n) {
                deps.put("c" + (i + 1), VersionRange.parse("^1").orElseThrow());
            }
            if (i + 2 < n) {
                deps.put(last, VersionRange.parse("^1").orElseThrow());
            }
            index.put("c" + i, List.of(new PluginRelease("c" + i, PluginVersion.of("1.0.0"), deps, "fx")));
        }
        Resolution r = Resolver.resolve(Map.of("c0", VersionRange.parse("^1").orElseThrow()), Map.of(),
                name -> index.getOrDefault(name, List.of()));

        List<List<Requirement>> chains = r.why(last);
        assertThat(chains).hasSize(n - 1); // every requirement on it still has its chain
        assertThat(chains.stream().mapToInt(List::size).sum()).isLessThan(6 * n);
        // each ends with the requirement on c199, and the first reaches from cxpm.toml
        assertThat(chains).allSatisfy(c -> assertThat(c.getLast().plugin()).isEqualTo(last));
        assertThat(chains.getFirst().getFirst().by()).isEmpty();
        // a chain left short starts at a plugin an earlier chain went through
        List<Requirement> through150 = chains.stream().filter(c -> c.getLast().requirer().equals("c150@1.0.0")).findFirst().orElseThrow();
        assertThat(through150.getFirst().by()).isPresent();
    }

    @Test
    void chainsSharingAShortPathArePrintedInFull() {
        Resolution r = Resolver.resolve(Map.of("a", VersionRange.ANY), Map.of(),
                index("a 1.0.0 -> b ^1, util ^1", "b 1.0.0 -> util ^1", "util 1.0.0"));
        assertThat(chains(r, "util")).isEqualTo(
                "cxpm.toml needs a * -> a@1.0.0 needs util ^1\ncxpm.toml needs a * -> a@1.0.0 needs b ^1 -> b@1.0.0 needs util ^1");
    }
}
