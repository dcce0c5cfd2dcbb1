package dev.cxpm.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {

    /** A part whose words must not be asked for: nobody watches. */
    private static final Object UNASKED = new Object() {
        @Override
        public String toString() {
            throw new AssertionError("words built for nobody");
        }
    };

    @Test
    void aWatchedStepIsToldEachPluginAsVerbIdAndVersion() {
        List<String> told = new ArrayList<>();
        Progress.Step step = new Progress.Step() {
            @Override
            public void item(int n, int count, String what) {
                told.add(n + "/" + count + " " + what);
            }
        };
        step.item(2, 50, "installing", "demo", "fx", "1.2.3");
        assertThat(told).containsExactly("2/50 installing demo@fx 1.2.3");
    }

    @Test
    void nobodyWatchingBuildsNoWordsPerPlugin() {
        Progress.NONE.begin("syncing").item(1, 1, "installing", UNASKED, UNASKED, UNASKED);
    }
}
