package dev.cxpm.core;

/**
 * What long work tells whoever is watching: how many bytes of a transfer have gone, what a tool says about
 * how far it is, which of many plugins is being handled. Core only reports; whether anything is shown, and
 * how, is the caller's business (the CLI draws one line on a terminal and nothing in a pipe), as the
 * filesystem roots and the clock are passed in. Reports may come from more than one thread.
 */
@FunctionalInterface
public interface Progress {

    /**
     * Nobody is watching. A class, not a lambda: every command makes one, and a cold JVM's first lambda links the
     * method-handle machinery (about 3 ms, even with the class-data archive holding the lambda's class).
     */
    Progress NONE = new Progress() {
        @Override
        public Step begin(String what) {
            return Step.NONE;
        }
    };

    /** Work on one thing begins, e.g. {@code downloading demo 1.2.3}; the step is closed when it ends, however it ends. */
    Step begin(String what);

    /** One piece of long work. Every report is optional. */
    interface Step extends AutoCloseable {
        Step NONE = new Step() {
            @Override
            public void item(int n, int count, String verb, Object name, Object marketplace, Object version) {
                // nobody watching (a pipe, CI): no words built per plugin
            }
        };

        /** {@code done} bytes have been sent or received of {@code total} (-1 when not known). */
        default void transferred(long done, long total) {
        }

        /** A tool's own words on how far it is, e.g. git's {@code Receiving objects:  45% (450/1000)}: untrusted text. */
        default void status(String text) {
        }

        /** The {@code n}-th (from 1) of {@code count} items begins, e.g. {@code installing foo@1.2.3}. */
        default void item(int n, int count, String what) {
        }

        /**
         * As {@link #item(int, int, String)} with {@code VERB NAME@MARKETPLACE VERSION} as the words, built only when
         * someone watches: a sync reports each of its plugins, and with nobody watching those words were built for nothing.
         */
        default void item(int n, int count, String verb, Object name, Object marketplace, Object version) {
            item(n, count, verb + " " + name + "@" + marketplace + " " + version);
        }

        @Override
        default void close() {
        }
    }
}
