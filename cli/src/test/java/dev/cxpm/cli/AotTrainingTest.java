package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The trainings of the AOT caches sync and install start with (AotTraining sync / install): each command of them
 * succeeds, so the cache holds what a sync and an install that work load, not what an early error does.
 */
class AotTrainingTest {

    @Test
    void everyCommandOfTheSyncTrainingSucceeds() throws Exception {
        assertThat(AotTraining.train("sync")).isEmpty();
    }

    @Test
    void everyCommandOfTheInstallTrainingSucceeds() throws Exception {
        assertThat(AotTraining.train("install")).isEmpty();
    }
}
