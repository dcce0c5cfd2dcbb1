package dev.cxpm.core.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.format.Marketplace;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the catalog keeps while it walks the configured marketplaces: a marketplace's parsed manifest (a 6 MB
 * marketplace.json of 100,000 entries is tens of MB as a tree) is held only while that marketplace is read, so neither
 * the catalog nor a search's result reaches one, and a search over several huge marketplaces holds one at a time.
 */
class CatalogHoldsTest {

    @TempDir
    Path tmp;
    Marketplaces marketplaces;

    @BeforeEach
    void setUp() throws Exception {
        marketplaces = new Marketplaces(new CodexHome(tmp.resolve("codex-home")), new GitCli(Map.of(), tmp), Duration.ofSeconds(5));
        for (String name : List.of("alpha", "beta", "gamma")) {
            Path root = tmp.resolve(name);
            StringBuilder entries = new StringBuilder();
            for (int i = 1; i <= 5; i++) {
                String plugin = "tool-" + i;
                Files.createDirectories(root.resolve("plugins/" + plugin + "/.codex-plugin"));
                Files.writeString(root.resolve("plugins/" + plugin + "/.codex-plugin/plugin.json"),
                        "{\"name\": \"" + plugin + "\", \"version\": \"1." + i + ".0\", \"description\": \"Tool " + i + " of " + name + "\"}");
                entries.append(i > 1 ? ", " : "").append("{\"name\": \"").append(plugin).append("\", \"source\": \"./plugins/").append(plugin).append("\"}");
            }
            Files.createDirectories(root.resolve(".agents/plugins"));
            Files.writeString(root.resolve(".agents/plugins/marketplace.json"), "{\"name\": \"" + name + "\", \"plugins\": [" + entries + "]}");
            marketplaces.add(new MarketplaceSource.Local(root), Optional.empty());
        }
    }

    @Test
    void aCatalogHoldsNoMarketplacesManifest() {
        assertThat(manifestsReachedFrom(Catalog.of(marketplaces))).isEmpty();
    }

    @Test
    void aSearchsResultHoldsNoMarketplacesManifestButEveryHit() {
        Object found = Catalog.of(marketplaces).search("tool");
        assertThat(found.toString()).contains("tool-1", "alpha", "beta", "gamma");
        assertThat(manifestsReachedFrom(found)).isEmpty();
    }

    @Test
    void aLookupByNameHoldsNoMarketplacesManifestButEveryItem() {
        List<Catalog.Item> items = Catalog.of(marketplaces).named("tool-2", Optional.empty());
        assertThat(items).extracting(Catalog.Item::id).containsExactly("tool-2@alpha", "tool-2@beta", "tool-2@gamma");
        assertThat(manifestsReachedFrom(items)).isEmpty();
    }

    /**
     * Every object reachable from root through cxpm's own objects, records, collections and optionals that is a
     * marketplace's parsed manifest (or what carries one); other JDK objects (strings, paths, instants) are leaves (a
     * path is iterable, but over new paths of its names).
     */
    static List<Object> manifestsReachedFrom(Object root) {
        List<Object> manifests = new ArrayList<>();
        Set<Object> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<Object> todo = new ArrayList<>(List.of(root));
        while (!todo.isEmpty()) {
            Object o = todo.removeLast();
            if (o == null || !seen.add(o)) {
                continue;
            }
            if (o instanceof Marketplace || o instanceof Marketplaces.Configured) {
                manifests.add(o);
                continue;
            }
            switch (o) {
                case java.util.Collection<?> it -> it.forEach(todo::add);
                case Map<?, ?> m -> m.forEach((k, v) -> {
                    todo.add(k);
                    todo.add(v);
                });
                case Optional<?> opt -> opt.ifPresent(todo::add);
                case Object[] arr -> todo.addAll(java.util.Arrays.asList(arr));
                default -> todo.addAll(fields(o));
            }
        }
        return manifests;
    }

    private static List<Object> fields(Object o) {
        List<Object> out = new ArrayList<>();
        Class<?> c = o.getClass();
        try {
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    rc.getAccessor().setAccessible(true);
                    out.add(rc.getAccessor().invoke(o));
                }
                return out;
            }
            if (!c.getName().startsWith("dev.cxpm.")) {
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
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        return out;
    }
}
