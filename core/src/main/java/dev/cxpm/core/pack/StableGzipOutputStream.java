package dev.cxpm.core.pack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip writer whose bytes depend only on the input: the header has no time, no file name and OS byte
 * 255 ("unknown") (the JDK's GZIPOutputStream changed its OS byte between releases; other writers put the
 * time in). The input is cut into fixed 128 KiB blocks compressed in parallel, each primed with the
 * previous 32 KiB as its dictionary and ended with a sync flush, then joined in order into one deflate
 * stream (pigz's method): the ratio stays that of a single stream, and the output is the same whatever the
 * number of threads, since only the fixed block boundaries shape it. Blocks that look incompressible are
 * stored rather than deflated (see {@link #looksIncompressible}). The deflate bytes come from the JDK's
 * zlib, so identical output is guaranteed for one cxpm build on one JDK (zlib is stable in practice, but no
 * format promises it).
 */
final class StableGzipOutputStream extends OutputStream {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    static final int BLOCK = 128 * 1024;
    private static final int INITIAL_BLOCK = 8 * 1024;
    private static final int DICT = 32 * 1024;
    private static final int CHUNK = 64 * 1024;

    private final OutputStream out;
    private final int level;
    private final int threads;
    /**
     * Started with the second block: most plugins are one block, and a pool started per archive was a thread per plugin
     * (most of a first sync's system time at 1,000 plugins). Until then blocks wait in inFlight and run on the caller's thread.
     */
    private ExecutorService pool;
    private final AtomicInteger started = new AtomicInteger();
    private final int maxInFlight;
    private final ArrayDeque<Block> inFlight = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    /**
     * The block being filled: the first one is this thread's (see {@link #FIRST_BLOCKS}) when it has one to lend, else
     * grown as input comes, up to {@link #BLOCK}, so a plugin of a few KiB (most) does not allocate 128 KiB twice (a first
     * sync of 1,000 plugins spent ~100 young collections on such buffers). Only where blocks end shapes the output, not
     * how big this array was.
     */
    private byte[] block;
    /** The first block, borrowed from this thread's {@link #FIRST_BLOCKS}: given back once every block was written. */
    private byte[] lent;
    private int filled;
    private byte[] dictionary;
    private long total;
    private boolean finished;

    /**
     * expectedBytes: about how much will be written (the packer knows its tar's size), so the first block is made that
     * big, not grown to it; only a hint, the output is the same whatever it is.
     */
    StableGzipOutputStream(OutputStream out, int level, long expectedBytes) throws IOException {
        this(out, level, Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), expectedBytes);
    }

    StableGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
        this(out, level, threads, 0);
    }

    private StableGzipOutputStream(OutputStream out, int level, int threads, long expectedBytes) throws IOException {
        this.lent = FIRST_BLOCKS.get();
        if (lent != null) {
            FIRST_BLOCKS.set(null); // one stream at a time: another opened on this thread meanwhile makes its own
            this.block = lent;
        } else {
            this.block = new byte[(int) Math.max(INITIAL_BLOCK, Math.min(BLOCK, expectedBytes))];
        }
        this.out = out;
        this.level = level;
        this.threads = threads;
        this.maxInFlight = threads * 2;
        out.write(HEADER);
    }

    /** How many worker threads this stream started (none for an input of one block). */
    int threadsStarted() {
        return started.get();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("gzip stream already finished");
        }
        crc.update(b, off, len);
        total += len;
        while (len > 0) {
            int n = Math.min(len, BLOCK - filled);
            if (filled + n > block.length) {
                block = Arrays.copyOf(block, Math.min(BLOCK, Math.max(block.length * 2, filled + n)));
            }
            System.arraycopy(b, off, block, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == BLOCK) {
                submit(false);
            }
        }
    }

    /** Compresses what is buffered, writes the trailer; the underlying stream stays open. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            submit(true);
            while (!inFlight.isEmpty()) {
                drainOne();
            }
            writeLe32(crc.getValue());
            writeLe32(total);
            // every block written, no task holds the first one: this thread's next stream may fill it (a stream
            // abandoned, or failed, gives nothing back: a task of its pool may still be reading it); a thread that had
            // none to lend gets one for its next stream
            FIRST_BLOCKS.set(lent != null ? lent : new byte[BLOCK]);
            lent = null;
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** Stops the worker threads of an abandoned stream (finish does it for a completed one). */
    void release() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            out.close();
        }
    }

    /** A block to compress: on this thread, straight into the output, until a pool is started; then by the pool's task. */
    private final class Block {
        final byte[] input;
        final int length;
        final byte[] dict;
        final boolean last;
        FutureTask<byte[]> task;

        Block(byte[] input, int length, byte[] dict, boolean last) {
            this.input = input;
            this.length = length;
            this.dict = dict;
            this.last = last;
        }

        /** Hands the block to the pool: compressed there into bytes of its own, written out in order by {@link #drainOne}. */
        void startOn(ExecutorService pool) {
            task = new FutureTask<>(() -> {
                ByteArrayOutputStream buf = new ByteArrayOutputStream(length / 2 + 64);
                compress(input, length, dict, last, level, buf);
                return buf.toByteArray();
            });
            pool.execute(task);
        }
    }

    private void submit(boolean last) throws IOException {
        byte[] input = block;
        int length = filled;
        byte[] dict = dictionary;
        // the last block primes no other: no dictionary copied out of it
        dictionary = last ? null : Arrays.copyOfRange(input, Math.max(0, length - DICT), length);
        Block b = new Block(input, length, dict, last);
        if (pool == null && threads > 1 && !last && !inFlight.isEmpty()) {
            pool = Executors.newFixedThreadPool(threads, r -> {
                started.incrementAndGet();
                Thread t = new Thread(r, "cxpm-gzip");
                t.setDaemon(true);
                return t;
            });
            inFlight.forEach(held -> held.startOn(pool)); // the block held back
        }
        inFlight.add(b);
        if (pool != null) {
            b.startOn(pool);
        }
        while (inFlight.size() >= maxInFlight || pool == null && inFlight.size() > 1) {
            drainOne();
        }
        block = last ? null : new byte[BLOCK]; // a block handed over is the task's: never written again
        filled = 0;
    }

    private void drainOne() throws IOException {
        Block b = inFlight.removeFirst();
        if (b.task == null) {
            compress(b.input, b.length, b.dict, b.last, level, out); // no pool: on this thread, no copy of its bytes
            return;
        }
        try {
            out.write(b.task.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw new IOException("compression failed", e.getCause());
        }
    }

    /**
     * A thread's deflaters, by level + 1, reset after each block rather than made for each: zlib's set-up allocates and
     * clears ~270 KiB of native memory, which a first sync did once per plugin (malloc's heap grown and trimmed each
     * time). A reset deflater compresses exactly as a new one with the same level.
     */
    private static final ThreadLocal<Deflater[]> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater[11]);

    private static Deflater deflater(int level) {
        Deflater[] mine = DEFLATERS.get();
        Deflater d = mine[level + 1];
        if (d == null) {
            d = new Deflater(level, true);
            mine[level + 1] = d;
        }
        return d;
    }

    /**
     * Each thread's first block, lent to the streams it opens one at a time ({@link #lent}): a first sync packs each plugin
     * in a stream of its own, and the block was a new array of the tar's size for each (most of a first sync's garbage
     * with the chunk and the copies below, and its young collections).
     */
    private static final ThreadLocal<byte[]> FIRST_BLOCKS = new ThreadLocal<>();
    /** Each thread's deflate output chunk: compress runs one block at a time on a thread, and copies the chunk out. */
    private static final ThreadLocal<byte[]> CHUNKS = ThreadLocal.withInitial(() -> new byte[CHUNK]);

    /**
     * Deflates one block into sink. A finishing deflate writes the same bytes whatever room each call has, and a
     * flushing one is called with the same chunk size as ever: the output does not depend on which thread's chunk it is.
     */
    private static void compress(byte[] input, int length, byte[] dict, boolean last, int level, OutputStream sink) throws IOException {
        Deflater d = deflater(looksIncompressible(input, length) ? Deflater.NO_COMPRESSION : level);
        try {
            if (dict != null && dict.length > 0) {
                d.setDictionary(dict);
            }
            d.setInput(input, 0, length);
            byte[] chunk = CHUNKS.get();
            if (last) {
                d.finish();
                while (!d.finished()) {
                    sink.write(chunk, 0, d.deflate(chunk));
                }
            } else {
                int n;
                do {
                    n = d.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
                    sink.write(chunk, 0, n);
                } while (n == chunk.length);
            }
        } finally {
            d.reset();
        }
    }

    /**
     * Whether a block is already compressed or random (images, archives, binaries' packed sections): its
     * byte entropy is near 8 bits, where deflate spends most of its time for a gain under 1%. Such blocks
     * are stored. The choice depends only on the block's bytes, so the output stays deterministic.
     */
    static boolean looksIncompressible(byte[] input) {
        return looksIncompressible(input, input.length);
    }

    private static boolean looksIncompressible(byte[] input, int length) {
        if (length < 4096) {
            return false;
        }
        int[] counts = new int[256];
        for (int i = 0; i < length; i++) {
            counts[input[i] & 0xff]++;
        }
        double bits = 0;
        double n = length;
        for (int c : counts) {
            if (c > 0) {
                double p = c / n;
                bits -= p * Math.log(p);
            }
        }
        return bits / Math.log(2) > INCOMPRESSIBLE_BITS;
    }

    static final double INCOMPRESSIBLE_BITS = 7.97;

    private void writeLe32(long v) throws IOException {
        out.write((int) (v & 0xff));
        out.write((int) ((v >> 8) & 0xff));
        out.write((int) ((v >> 16) & 0xff));
        out.write((int) ((v >> 24) & 0xff));
    }
}
