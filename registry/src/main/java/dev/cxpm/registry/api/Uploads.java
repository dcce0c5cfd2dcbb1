package dev.cxpm.registry.api;

import dev.cxpm.core.codexhome.Trees;
import dev.cxpm.registry.RegistryException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Where publish bodies go while they are checked: a file under the server's data directory, never the heap, and
 * at most a few at a time, so what uploads cost (disk and the bounded memory of checking each one) has a ceiling
 * whatever clients send. Past that, a publish waits a moment for a place, then is refused with 503 and
 * {@code Retry-After}, its body unread.
 */
public final class Uploads {

    /** Seconds a client refused for being one upload too many waits before it tries again. */
    static final String RETRY_AFTER = "5";

    /** A burst (a CI job publishing several plugins) waits this long for a place, with its body unread, before 503. */
    static final long WAIT_FOR_A_PLACE_MS = 2_000;

    private final Path dir;
    private final Semaphore inFlight;
    private final Duration maxReceiveTime;
    /**
     * Reads of a body block, and a client that stalls mid-body would hold its place for as long as its TCP
     * connection lives: this closes the connection of an upload still arriving after {@code maxReceiveTime}.
     */
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cxpm-upload-watchdog");
        t.setDaemon(true);
        return t;
    });

    /** The spool at {@code dir}; what a crash left there (uploads, checks' trees) is deleted now, before anything is served. */
    public Uploads(Path dir, int maxInFlight, Duration maxReceiveTime) {
        this.dir = dir;
        this.inFlight = new Semaphore(maxInFlight);
        this.maxReceiveTime = maxReceiveTime;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.toList()) {
                    Trees.delete(p); // also the tree a publish's check unpacks beside its upload (StrictRules)
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An archive received into the spool; closing it deletes the file and frees its place. */
    static final class Upload implements AutoCloseable {
        private final Path file;
        private final Semaphore owner;

        private Upload(Path file, Semaphore owner) {
            this.file = file;
            this.owner = owner;
        }

        Path file() {
            return file;
        }

        @Override
        public void close() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                owner.release();
            }
        }
    }

    /**
     * The request's archive in a file: the raw body, or the first file part of a multipart body (boundary
     * given). At most {@code limit} bytes of body are read; a declared length past it is refused before reading.
     */
    Upload receive(Request r, String boundary, long limit) throws IOException {
        checkDeclaredLength(r.header("Content-Length"), limit);
        boolean admitted;
        try {
            admitted = inFlight.tryAcquire(WAIT_FOR_A_PLACE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            r.exchange().getResponseHeaders().set("Retry-After", RETRY_AFTER);
            throw new RegistryException(503, "busy", "the registry is receiving as many uploads as it takes at once; try again in "
                    + RETRY_AFTER + " seconds");
        }
        Path file = null;
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> deadline = watchdog.schedule(() -> {
            timedOut.set(true);
            r.exchange().close(); // no answer sent yet, so this closes the connection and the blocked read fails
        }, maxReceiveTime.toMillis(), TimeUnit.MILLISECONDS);
        try {
            file = Files.createTempFile(dir, "upload-", ".tgz");
            try (InputStream in = new BufferedInputStream(new Limited(r.exchange().getRequestBody(), limit), 64 * 1024);
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
                if (boundary == null) {
                    in.transferTo(out);
                } else {
                    Multipart.copyFirstFile(in, boundary, out);
                }
            }
            deadline.cancel(false);
            if (timedOut.get()) {
                throw timedOut();
            }
            return new Upload(file, inFlight);
        } catch (IOException | RuntimeException e) {
            deadline.cancel(false);
            try {
                if (file != null) {
                    Files.deleteIfExists(file);
                }
            } finally {
                inFlight.release();
            }
            if (timedOut.get()) {
                throw timedOut();
            }
            throw e;
        }
    }

    private RegistryException timedOut() {
        return new RegistryException(408, "upload-timeout", "the upload did not arrive within " + maxReceiveTime.toSeconds() + " seconds");
    }

    /**
     * Reads and drops the body of an upload refused before its body was read (a bad boundary or provenance header), when
     * its declared length is within {@code limit}: the client, still sending, then reads the refusal. Answering at once
     * would close the connection on unread bytes, and the reset can reach the client before the answer does. Bounded
     * like an upload: at most {@code limit} bytes, within the receive time. Reading is linear: nothing is searched.
     */
    void discard(Request r, long limit) {
        long declared;
        try {
            declared = Long.parseLong(Optional.ofNullable(r.header("Content-Length")).orElse("-1").trim());
        } catch (NumberFormatException e) {
            return;
        }
        if (declared < 0 || declared > limit || !inFlight.tryAcquire()) {
            return; // too big to read for a refusal, or as many bodies arriving as the registry takes: answered at once
        }
        ScheduledFuture<?> deadline = watchdog.schedule(() -> r.exchange().close(), maxReceiveTime.toMillis(), TimeUnit.MILLISECONDS);
        try {
            new Limited(r.exchange().getRequestBody(), limit).transferTo(OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            // the client went away or sent more than it declared: the refusal is answered (or the connection closed) anyway
        } finally {
            deadline.cancel(false);
            inFlight.release();
        }
    }

    /** Stops the watchdog; uploads still arriving are not timed any more. */
    public void close() {
        watchdog.shutdownNow();
    }

    /** Refuses a Content-Length that is not a number of bytes (400) or is past the limit (413); absent means chunked. */
    static void checkDeclaredLength(String header, long limit) {
        if (header == null) {
            return;
        }
        String v = header.trim();
        if (v.isEmpty() || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new RegistryException(400, "invalid-content-length", "Content-Length must be a number of bytes, not '"
                    + (v.length() > 40 ? v.substring(0, 40) + "..." : v) + "'");
        }
        if (v.length() > 18 || Long.parseLong(v) > limit) {
            throw tooLarge(limit);
        }
    }

    static RegistryException tooLarge(long limit) {
        return new RegistryException(413, "too-large", "the upload is larger than " + limit + " bytes");
    }

    /** Fails the read past the limit, so a chunked body that never ends is cut off there. */
    private static final class Limited extends FilterInputStream {
        private final long limit;
        private long read;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, (int) Math.min(len, limit + 1 - read));
            if (n > 0 && (read += n) > limit) {
                throw tooLarge(limit);
            }
            return n;
        }
    }
}
