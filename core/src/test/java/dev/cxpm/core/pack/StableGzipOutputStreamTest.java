package dev.cxpm.core.pack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.pack.digest.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StableGzipOutputStreamTest {
    @TempDir
    Path tmp;

    static byte[] mixed(int size) {
        byte[] b = new byte[size];
        Random r = new Random(7);
        for (int i = 0; i < size; i++) {
            // runs of text-like bytes and runs of noise
            b[i] = (i / 50_000) % 2 == 0 ? (byte) ("abc def ghi\n".charAt(r.nextInt(12))) : (byte) r.nextInt();
        }
        return b;
    }

    static byte[] gzip(byte[] input, int threads) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StableGzipOutputStream gz = new StableGzipOutputStream(out, 6, threads);
        // odd write sizes, so block boundaries never line up with writes
        for (int off = 0; off < input.length; off += 7_777) {
            gz.write(input, off, Math.min(7_777, input.length - off));
        }
        gz.finish();
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void outputIsTheSameWhateverTheNumberOfThreads() throws IOException {
        byte[] input = mixed(1_000_003);
        byte[] one = gzip(input, 1);
        assertThat(gzip(input, 2)).isEqualTo(one);
        assertThat(gzip(input, 4)).isEqualTo(one);
        assertThat(gunzip(one)).isEqualTo(input);
    }

    /** A plugin of a few small files (most of them) is one block: a thread started for it was most of a first sync's system time. */
    @Test
    void anInputOfOneBlockIsCompressedWithoutStartingAThread() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StableGzipOutputStream gz = new StableGzipOutputStream(out, 6, 4);
        byte[] input = mixed(StableGzipOutputStream.BLOCK);
        gz.write(input, 0, input.length);
        gz.finish();
        assertThat(gz.threadsStarted()).isZero();
        assertThat(gunzip(out.toByteArray())).isEqualTo(input);

        StableGzipOutputStream big = new StableGzipOutputStream(new ByteArrayOutputStream(), 6, 4);
        byte[] more = mixed(StableGzipOutputStream.BLOCK * 3 + 1);
        big.write(more, 0, more.length);
        big.finish();
        assertThat(big.threadsStarted()).isPositive();
    }

    /**
     * The bytes themselves, as cxpm 6cc7cd4 wrote them (SHA-256 of the gzip): the buffers may change size, the output
     * may not (a packed plugin's bytes are its registry integrity). Written in odd slices, so the block grows across writes.
     */
    @Test
    void theBytesStayThoseOfEarlierBuilds() throws IOException {
        assertThat(sha256(gzip(new byte[0], 2))).isEqualTo("ac73670af3abed54ac6fb4695131f4099be9fbe39d6076c5d0264a6bbdae9d83");
        assertThat(sha256(gzip(mixed(100), 2))).isEqualTo("3facf3c81193896c3d300cb592b837167bd04162c9ef38683966befac17bce50");
        assertThat(sha256(gzip(mixed(5_000), 2))).isEqualTo("0385a84fecadf3ac911c3386d8e0d60ac62735d97b16611705cdeb21e65288ff");
        assertThat(sha256(gzip(mixed(StableGzipOutputStream.BLOCK), 2)))
                .isEqualTo("f10b3c8d3b32423084e78529a9acf4ed74a3bbfc9204636ee92a3e680cb54735");
        assertThat(sha256(gzip(mixed(300_001), 2))).isEqualTo("ee032a737bf4481ebe8852263a7929405d21e75ddd098a5e5be5364a8ad3b309");
        // the packer's size hint makes the first block that big at once: the same bytes, whether the hint is short or long
        assertThat(sha256(gzipExpecting(mixed(5_000), 10_240))).isEqualTo("0385a84fecadf3ac911c3386d8e0d60ac62735d97b16611705cdeb21e65288ff");
        assertThat(sha256(gzipExpecting(mixed(5_000), 100))).isEqualTo("0385a84fecadf3ac911c3386d8e0d60ac62735d97b16611705cdeb21e65288ff");
        assertThat(sha256(gzipExpecting(mixed(300_001), 300_001)))
                .isEqualTo("ee032a737bf4481ebe8852263a7929405d21e75ddd098a5e5be5364a8ad3b309");
    }

    /**
     * A thread lends its streams one first block and one output chunk, one stream after another: the bytes are those of a
     * fresh thread's, whatever the stream before left in them (a bigger input, several blocks on a pool), and two streams
     * open at once on one thread do not share a block.
     */
    @Test
    void aThreadsStreamsOneAfterAnotherOrAtOnceWriteWhatAFreshThreadWrites() throws Exception {
        byte[] small = mixed(5_000);
        byte[] big = mixed(300_001);
        byte[] smallAlone = onAFreshThread(() -> gzip(small, 2));
        byte[] bigAlone = onAFreshThread(() -> gzip(big, 2));
        assertThat(onAFreshThread(() -> {
            gzip(big, 2); // several blocks, a pool started: its first block is the one lent
            gzip(mixed(StableGzipOutputStream.BLOCK), 1);
            return gzip(small, 2);
        })).isEqualTo(smallAlone);
        assertThat(onAFreshThread(() -> {
            gzip(small, 2);
            return gzip(big, 4);
        })).isEqualTo(bigAlone);
        byte[][] both = onAFreshThread(() -> {
            gzip(small, 2); // so the thread has a block to lend
            ByteArrayOutputStream a = new ByteArrayOutputStream();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            StableGzipOutputStream ga = new StableGzipOutputStream(a, 6, 2);
            StableGzipOutputStream gb = new StableGzipOutputStream(b, 6, 2);
            for (int off = 0; off < big.length; off += 7_777) {
                ga.write(small, 0, Math.min(small.length, 7_777)); // interleaved writes into both
                gb.write(big, off, Math.min(7_777, big.length - off));
            }
            ga.finish();
            gb.finish();
            return new byte[][] {a.toByteArray(), b.toByteArray()};
        });
        assertThat(both[1]).isEqualTo(bigAlone);
        assertThat(gunzip(both[0])).hasSize(small.length * ((big.length + 7_776) / 7_777));
        // and a stream abandoned half-way (its pool still holding its first block) leaves the next one whole
        assertThat(onAFreshThread(() -> {
            gzip(small, 2);
            StableGzipOutputStream abandoned = new StableGzipOutputStream(new ByteArrayOutputStream(), 6, 2);
            abandoned.write(big, 0, big.length);
            abandoned.release();
            return gzip(big, 2);
        })).isEqualTo(bigAlone);
    }

    private static <T> T onAFreshThread(java.util.concurrent.Callable<T> work) throws Exception {
        java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(work);
        Thread t = new Thread(task);
        t.start();
        return task.get();
    }

    private static byte[] gzipExpecting(byte[] input, long expected) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StableGzipOutputStream gz = new StableGzipOutputStream(out, 6, expected);
        for (int off = 0; off < input.length; off += 7_777) {
            gz.write(input, off, Math.min(7_777, input.length - off));
        }
        gz.finish();
        return out.toByteArray();
    }

    private static String sha256(byte[] b) {
        Sha256 d = new Sha256();
        d.update(b, 0, b.length);
        return java.util.HexFormat.of().formatHex(d.digest());
    }

    @Test
    void emptyAndBlockAlignedInputsRoundTrip() throws IOException {
        assertThat(gunzip(gzip(new byte[0], 2))).isEmpty();
        byte[] aligned = mixed(StableGzipOutputStream.BLOCK * 3);
        assertThat(gunzip(gzip(aligned, 2))).isEqualTo(aligned);
    }

    @Test
    void theSystemGzipAcceptsIt() throws IOException, InterruptedException {
        Path f = tmp.resolve("x.gz");
        Files.write(f, gzip(mixed(600_000), 3));
        Process p = new ProcessBuilder("gzip", "-t", f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void parallelBlocksCompressAboutAsWellAsOneStream() throws IOException {
        byte[] input = mixed(2_000_000);
        ByteArrayOutputStream single = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream g = new java.util.zip.GZIPOutputStream(single)) {
            g.write(input);
        }
        assertThat((double) gzip(input, 2).length).isLessThan(single.size() * 1.01);
    }

    @Test
    void randomBlocksAreStoredAndTextIsCompressed() throws IOException {
        byte[] noise = new byte[StableGzipOutputStream.BLOCK * 2];
        new Random(3).nextBytes(noise);
        assertThat(StableGzipOutputStream.looksIncompressible(noise)).isTrue();
        byte[] text = "the plugin server runs the skill when asked\n".repeat(6000).getBytes();
        assertThat(StableGzipOutputStream.looksIncompressible(text)).isFalse();
        byte[] stored = gzip(noise, 2);
        assertThat(stored.length).isBetween(noise.length, noise.length + 100);
        assertThat(gunzip(stored)).isEqualTo(noise);
        assertThat(gzip(text, 2).length).isLessThan(text.length / 20);
    }
}
