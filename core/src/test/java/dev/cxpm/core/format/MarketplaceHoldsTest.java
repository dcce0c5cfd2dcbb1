package dev.cxpm.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.format.json.JsonFile;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
        List<Object> held = reachedFrom(m);
        assertThat(held).noneMatch(o -> o instanceof JsonNode || o instanceof JsonFile);
        assertThat(held).filteredOn(String.class::isInstance).noneMatch(s -> ((String) s).contains("\"plugins\""));
    }

    /** Every object reachable from root through cxpm's own objects, records, collections, maps, optionals and arrays. */
    private static List<Object> reachedFrom(Object root) throws Exception {
        List<Object> reached = new ArrayList<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Object> todo = new ArrayList<>(List.of(root));
        while (!todo.isEmpty()) {
            Object o = todo.removeLast();
            if (o == null || !seen.add(o)) {
                continue;
            }
            reached.add(o);
            switch (o) {
                case JsonNode leaf -> { } // found: not walked into
                case Collection<?> c -> todo.addAll(c);
                case Map<?, ?> map -> map.forEach((k, v) -> {
                    todo.add(k);
                    todo.add(v);
                });
                case Optional<?> opt -> opt.ifPresent(todo::add);
                case Object[] arr -> todo.addAll(List.of(arr));
                default -> todo.addAll(fields(o));
            }
        }
        return reached;
    }

    private static List<Object> fields(Object o) throws Exception {
        List<Object> out = new ArrayList<>();
        Class<?> c = o.getClass();
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                rc.getAccessor().setAccessible(true);
                out.add(rc.getAccessor().invoke(o));
            }
            return out;
        }
        for (Class<?> k = c; k != null && k.getName().startsWith("dev.cxpm."); k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                    f.setAccessible(true);
                    out.add(f.get(o));
                }
            }
        }
        return out;
    }
}
