package dev.cxpm.core;

import java.time.Duration;

/**
 * When a transfer from outside counts as stalled and is given up: under {@link #BYTES_PER_SECOND} on average for
 * {@link #TIME}. One rule for every transfer: git over any transport (cxpm hands it to git as
 * {@code GIT_HTTP_LOW_SPEED_LIMIT} and {@code _TIME} for http(s), and watches ssh and git:// itself) and the http
 * downloads of registry blobs and npm tarballs. A remote that took the connection and then said nothing, or a byte a
 * minute, held a command for ever: no request timeout covers a body that has started.
 */
public final class Stall {
    public static final long BYTES_PER_SECOND = 1000;
    public static final Duration TIME = Duration.ofSeconds(60);

    private Stall() {
    }
}
