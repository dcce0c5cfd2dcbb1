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
}
