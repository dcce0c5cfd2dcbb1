package dev.cxpm.core.format.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.testkit.Reachable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A parsed marketplace keeps what its callers read (name, entries, findings, display name), not the parsed file: the
 * text and tree of a marketplace.json of 100,000 entries are several times its 6 MB, and a search or a sync's index
 * holds its marketplaces whole.
 */
class MarketplaceHoldsTest {

    @TempDir
    Path tmp;

    @Test
    void aParsedMarketplaceHoldsNoJsonTreeNorTheManifestsText() throws Exception {
        Files.createDirectories(tmp.resolve(".agents/plugins"));
        String manifest = """
                {"name": "big", "interface": {"displayName": "Big Tools"}, "plugins": [
                  {"name": "tool-1", "source": "./plugins/tool-1", "description": "the first", "category": "dev",
                   "policy": {"installation": "AVAILABLE"}, "extra": {"deep": [1, 2, {"x": "y"}]}},
                  {"name": "tool-2", "source": {"source": "url", "url": "https://example.com/t.git"}},
                  {"name": "Not Valid!", "source": "./plugins/x"}
                ]}""";
        Files.writeString(tmp.resolve(".agents/plugins/marketplace.json"), manifest);
        Marketplace m = Marketplace.load(tmp);

        assertThat(m.name()).isEqualTo("big");
        assertThat(m.displayName()).contains("Big Tools");
        assertThat(m.plugins()).extracting(MarketplaceEntry::name).containsExactly("tool-1", "tool-2");
        assertThat(m.plugins().getFirst().description()).contains("the first");
        assertThat(m.skipped()).isNotEmpty();
        assertThat(m.manifestFile()).isEqualTo(tmp.resolve(".agents/plugins/marketplace.json"));
        List<Object> held = Reachable.from(m, JsonNode.class::isInstance);
        assertThat(held).noneMatch(o -> o instanceof JsonNode || o instanceof JsonFile);
        assertThat(held).filteredOn(String.class::isInstance).noneMatch(s -> ((String) s).contains("\"plugins\""));
    }
}
