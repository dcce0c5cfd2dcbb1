package dev.cxpm.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Projects far larger than any fixture: the resolver must not need a stack frame per plugin (a cold
 * {@code sync} of 2,000 plugins died with StackOverflowError), so each case runs on a thread with a
 * small stack, where a search that recursed once per plugin overflows.
 */
class ResolverAtScaleTest {

    private static final long SMALL_STACK = 256 * 1024;
    private static final int PLUGINS = 5_000;

    @Test
    void aLongDependencyChainResolvesOnASmallStack() throws Exception {
        Map<String, List<PluginRelease>> index = new HashMap<>();
        for (int i = 0; i < PLUGINS; i++) {
            Map<String, VersionRange> deps = i + 1 < PLUGINS ? Map.of(name(i + 1), range("^1")) : Map.of();
            index.put(name(i), List.of(release(i, "1.0.0", deps), release(i, "1.1.0", deps), release(i, "2.0.0", Map.of())));
        }
        Resolution r = onSmallStack(() -> Resolver.resolve(Map.of(name(0), range("^1")), Map.of(), n -> index.getOrDefault(n, List.of())));

        assertThat(r.selected()).hasSize(PLUGINS);
        assertThat(r.selected().values()).allSatisfy(rel -> assertThat(rel.version().text()).isEqualTo("1.1.0"));
        assertThat(r.why(name(PLUGINS - 1))).singleElement().satisfies(chain -> assertThat(chain).hasSize(PLUGINS));
    }

    @Test
    void aProjectDeclaringThousandsOfPluginsResolvesOnASmallStack() throws Exception {
        Map<String, List<PluginRelease>> index = new HashMap<>();
        Map<String, VersionRange> project = new LinkedHashMap<>();
        Map<String, PluginVersion> locked = new HashMap<>();
        for (int i = 0; i < PLUGINS; i++) {
            // every fifth depends on the next one, as bench/sync.sh's projects do
            Map<String, VersionRange> deps = i % 5 == 0 && i + 1 < PLUGINS ? Map.of(name(i + 1), range("^1")) : Map.of();
            index.put(name(i), List.of(release(i, "1.0.0", deps), release(i, "1.2.0", deps)));
            project.put(name(i), range("^1"));
            if (i % 2 == 0) {
                locked.put(name(i), PluginVersion.of("1.0.0"));
            }
        }
        Resolution r = onSmallStack(() -> Resolver.resolve(project, locked, n -> index.getOrDefault(n, List.of())));

        assertThat(r.selected()).hasSize(PLUGINS);
        assertThat(r.selected().get(name(0)).version().text()).isEqualTo("1.0.0");
        assertThat(r.selected().get(name(1)).version().text()).isEqualTo("1.2.0");
    }

    @Test
    void aConflictDeepInALongChainIsStillExplainedOnASmallStack() {
        Map<String, List<PluginRelease>> index = new HashMap<>();
        for (int i = 0; i < PLUGINS; i++) {
            Map<String, VersionRange> deps = new HashMap<>();
            if (i + 1 < PLUGINS) {
                deps.put(name(i + 1), range("^1"));
            }
            if (i == PLUGINS - 1) {
                deps.put(name(0), range("^2")); // the last one needs a version of the first that nothing offers
            }
            index.put(name(i), List.of(release(i, "1.0.0", deps)));
        }

        assertThatThrownBy(() -> onSmallStack(() -> Resolver.resolve(Map.of(name(0), range("^1")), Map.of(), n -> index.getOrDefault(n, List.of()))))
                .isInstanceOfSatisfying(UserError.class, e -> {
                    assertThat(e.kind()).isEqualTo(UserError.Kind.CONFLICT);
                    assertThat(e.getMessage()).contains("no version of `" + name(0) + "` satisfies every requirement")
                            .contains(name(PLUGINS - 1) + "@1.0.0 needs " + name(0) + " ^2");
                });
    }

    private static String name(int i) {
        return "plugin-" + i;
    }

    private static VersionRange range(String text) {
        return VersionRange.parse(text).orElseThrow();
    }

    private static PluginRelease release(int i, String version, Map<String, VersionRange> deps) {
        return new PluginRelease(name(i), PluginVersion.of(version), deps, "fx");
    }

    private interface Work<T> {
        T run();
    }

    /** Runs work on a fresh thread with a 256 KiB stack; rethrows what it threw. */
    private static <T> T onSmallStack(Work<T> work) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(work.run());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack", SMALL_STACK);
        t.start();
        t.join();
        if (failure.get() instanceof Exception e) {
            throw e;
        }
        if (failure.get() instanceof Error e) {
            throw new AssertionError("the resolver needs a deep stack: " + e, e);
        }
        return result.get();
    }
}
