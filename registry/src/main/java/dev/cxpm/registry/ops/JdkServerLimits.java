package dev.cxpm.registry.ops;

import java.time.Duration;

/**
 * What the JDK's HTTP server is told through its system properties before a registry server starts: answers sent
 * without Nagle's delay, and bounds on what a client may hold of it (a request's time, connections, bytes of head).
 * An operator's own {@code -D} setting always wins; the JDK reads these once, when the JVM's first server is made.
 */
public final class JdkServerLimits {

    private JdkServerLimits() {
    }

    /** The JDK server's switch for TCP_NODELAY on the connections it accepts, read once, when the first server starts. */
    public static final String NO_DELAY = "sun.net.httpserver.nodelay";

    /** The JDK server's limit, in seconds, on the time from a request's first byte to the end of its body; unset: none. */
    static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime";
    /**
     * The JDK server's limit, in seconds, on the time from the end of a request to the end of its answer; unset: none, so
     * a client that asks for a blob and never reads it held its connection (one of the 2,048) and a thread for ever.
     */
    static final String MAX_RESPONSE_TIME = "sun.net.httpserver.maxRspTime";
    /** The JDK server's limit on connections open at once (more are closed as they are accepted); unset: none. */
    static final String MAX_CONNECTIONS = "jdk.httpserver.maxConnections";
    /** The JDK server's limit on a request line and headers together, in bytes; unset: 380 KiB. */
    static final String MAX_HEADER_BYTES = "sun.net.httpserver.maxReqHeaderSize";
    /** Connections at once and bytes of request head each: what clients that never finish their headers can hold, 64 MiB. */
    static final int DEFAULT_MAX_CONNECTIONS = 2048;
    static final int DEFAULT_MAX_HEADER_BYTES = 32 * 1024;
    /** Past the upload time: the wait for an upload's place and its headers come before the upload's own deadline. */
    static final Duration REQUEST_TIME_MARGIN = Duration.ofSeconds(10);
    /** Never less, whatever the upload time: the limit holds for every server of the JVM, and for every request. */
    static final Duration MIN_REQUEST_TIME = Duration.ofSeconds(30);

    /**
     * The JDK server reads a request's line and headers itself, before any handler, and by default lets a client take
     * for ever (a header a second, slowloris) on as many connections as it opens, each holding up to 380 KiB of head in
     * the heap. Unless the operator set them (-D wins), every request must now arrive whole, body included, within the
     * upload time plus {@link #REQUEST_TIME_MARGIN}, and at least {@link #MIN_REQUEST_TIME} (uploads have their own, shorter, deadline: {@code api.Uploads}), with at
     * most 2,048 connections of at most 32 KiB of head each; and every answer must leave whole within the same time (a
     * download may take as long as the upload of it), else the connection is closed. The JDK reads these once, when the JVM's first HTTP server
     * is made: in a JVM that made one before (a test's stub server), they are whatever they were then.
     */
    private static void boundRequests(Duration maxUploadTime) {
        String seconds = Long.toString(Math.max(MIN_REQUEST_TIME.toSeconds(), maxUploadTime.plus(REQUEST_TIME_MARGIN).toSeconds()));
        if (System.getProperty(MAX_REQUEST_TIME) == null) {
            System.setProperty(MAX_REQUEST_TIME, seconds);
        }
        if (System.getProperty(MAX_RESPONSE_TIME) == null) {
            System.setProperty(MAX_RESPONSE_TIME, seconds);
        }
        if (System.getProperty(MAX_CONNECTIONS) == null) {
            System.setProperty(MAX_CONNECTIONS, Integer.toString(DEFAULT_MAX_CONNECTIONS));
        }
        if (System.getProperty(MAX_HEADER_BYTES) == null) {
            System.setProperty(MAX_HEADER_BYTES, Integer.toString(DEFAULT_MAX_HEADER_BYTES));
        }
    }

    /** Sets every property the operator left unset: the delay off, the request bounds for this upload time. */
    public static void apply(Duration maxUploadTime) {
        // answers leave at once (TCP_NODELAY): with Nagle's algorithm, the JDK server's default, the tail of an answer
        // longer than one segment waited for the client's delayed ACK, about 40 ms, so a page of search results took
        // 23 ms at the median at any load (issue 12)
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
        boundRequests(maxUploadTime);
    }
}
