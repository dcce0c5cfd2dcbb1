package dev.cxpm.core.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.registry.RegistryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cached index documents are read with the same cap as the answers they were written from. */
class RegistryIndexCacheTest {

    @Test
    void aCachedIndexLargerThanAnyRegistryAnswerIsNotReadButFetchedAgain(@TempDir Path home) throws Exception {
        Path index = home.resolve(".cxpm/registries/reg/index/demo.json");
        Files.createDirectories(index.getParent());
        String doc = "{\"name\": \"demo\", \"latest\": \"1.0.0\", \"versions\": []}";
        Files.writeString(index, doc);
        RegistryMarketplaces registries = new RegistryMarketplaces(new CodexHome(home));
        assertThat(registries.cached("reg", "demo")).as("a normal cached document is used").isPresent();

        Files.writeString(index, "{\"name\": \"demo\", \"latest\": \"1.0.0\", \"versions\": []"
                + " ".repeat(RegistryClient.MAX_INDEX_BYTES) + "}"); // valid, but more than any registry answer cxpm keeps
        assertThat(registries.cached("reg", "demo")).isEmpty();
    }
}
