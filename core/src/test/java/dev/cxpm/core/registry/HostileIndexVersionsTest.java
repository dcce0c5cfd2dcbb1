package dev.cxpm.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.resolve.PluginVersion;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A registry's index answer is from outside: two versions whose pre-release number is past a long made the client's
 * sort of the releases throw (semver4j reads them as longs when comparing), an internal error (exit 70) for every
 * command that reads the plugin. Such a version is not SemVer to cxpm: it sorts below the SemVer ones and is never picked.
 */
class HostileIndexVersionsTest {

    private static final String SRI = "sha512-S4AoEuCK69IHkVM81D9iR2fPVmnDZa+nS1I4cfTLvi3eOrROb6j4lwa2a1YxXq6vRDUjEuUmlC8vZrj0X/oCmw==";

    private static String release(String version) {
        return "{\"version\":\"" + version + "\",\"integrity\":\"" + SRI + "\",\"size\":1,\"tarball\":\"/api/v1/blobs/x\"}";
    }

    @Test
    void anIndexWithPreReleaseNumbersPastALongIsReadAndTheyAreNeverPicked() {
        String doc = "{\"name\":\"demo\",\"versions\":[" + release("1.0.0-99999999999999999999") + "," + release("1.0.0") + ","
                + release("1.0.0-99999999999999999998") + "," + release("1.1.0-rc.9223372036854775808") + "]}";
        RegistryIndex index = RegistryIndex.parse(doc.getBytes(StandardCharsets.UTF_8), "test");
        assertThat(index.pick(Optional.empty()).map(r -> r.version().text())).contains("1.0.0");
        assertThat(PluginVersion.of("1.0.0-99999999999999999999").isSemver()).isFalse();
        assertThat(PluginVersion.of("1.0.0-9223372036854775807").isSemver()).isTrue();
        assertThat(index.available()).containsExactly("1.0.0-99999999999999999998", "1.0.0-99999999999999999999",
                "1.1.0-rc.9223372036854775808", "1.0.0");
    }
}
