package dev.cxpm.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * What {@link Fuzz}'s byte mutations rarely make of a {@code .tgz}: whole tar entries duplicated or dropped, a header
 * whose size is another (checksum fixed, so the reader believes it), and a compression ratio of a thousand to one.
 */
public final class FuzzArchives {
    private FuzzArchives() {
    }

    /** Whole tar entries (512-byte header and its data) duplicated, dropped or given another size: what byte flips rarely make. */
    public static List<Fuzz.Case> entryMutations(byte[] tar, int count, long seed) {
        List<int[]> entries = new ArrayList<>();
        for (int at = 0; at + 512 <= tar.length && tar[at] != 0; ) {
            long size = Long.parseLong(new String(tar, at + 124, 11, StandardCharsets.US_ASCII).trim(), 8);
            int end = at + 512 + (int) ((size + 511) / 512 * 512);
            entries.add(new int[] {at, end});
            at = end;
        }
        Random r = new Random(seed);
        List<Fuzz.Case> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] e = entries.get(r.nextInt(entries.size()));
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            String how;
            switch (i % 5) {
                case 0 -> {
                    how = "entry at " + e[0] + " twice";
                    b.write(tar, 0, e[1]);
                    b.write(tar, e[0], e[1] - e[0]);
                    b.write(tar, e[1], tar.length - e[1]);
                }
                case 1 -> {
                    how = "entry at " + e[0] + " dropped";
                    b.write(tar, 0, e[0]);
                    b.write(tar, e[1], tar.length - e[1]);
                }
                case 4 -> {
                    // another type: a hard or symbolic link out, a device, a fifo, a long name or PAX header of itself
                    byte type = (byte) "1234567LKxgS".charAt(r.nextInt(12));
                    byte[] copy = tar.clone();
                    copy[e[0] + 156] = type;
                    put(copy, e[0] + 157, LINKS[r.nextInt(LINKS.length)]);
                    checksum(copy, e[0]);
                    how = "entry at " + e[0] + " of type " + (char) type;
                    b.write(copy, 0, copy.length);
                }
                default -> {
                    long size = i % 5 == 2 ? r.nextInt(1 << 20) : (1L << 33) - 1; // another size, or 8 GiB of what follows
                    byte[] copy = tar.clone();
                    byte[] field = String.format("%011o", size).getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(field, 0, copy, e[0] + 124, 11);
                    checksum(copy, e[0]);
                    how = "entry at " + e[0] + " says " + size + " bytes";
                    b.write(copy, 0, copy.length);
                }
            }
            out.add(new Fuzz.Case("tar entries", i, how, gzip(b.toByteArray())));
        }
        return out;
    }

    private static final String[] LINKS = {"../../../../etc/passwd\0", "/etc/passwd\0", "package/.codex-plugin/plugin.json\0", ".\0",
            "package\0", "path=../../x\n\0"};

    /** A zip-bomb-like ratio: a manifest entry of 2 GiB of zeros, about 2 MiB compressed. */
    public static Fuzz.Case bomb() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            byte[] header = new byte[512];
            put(header, 0, "package/.codex-plugin/plugin.json");
            put(header, 100, "0000644\0");
            put(header, 124, String.format("%011o\0", 2L << 30));
            header[156] = '0';
            put(header, 257, "ustar\0");
            checksum(header, 0);
            gz.write(header);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 2048; i++) {
                gz.write(zeros);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Fuzz.Case("bomb", 0, "2 GiB of zeros in plugin.json", b.toByteArray());
    }

    private static void put(byte[] header, int at, String ascii) {
        byte[] a = ascii.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(a, 0, header, at, a.length);
    }

    /** The header checksum of the entry at {@code at}, as tar computes it (the field itself counted as spaces). */
    private static void checksum(byte[] tar, int at) {
        long sum = 0;
        for (int k = 0; k < 512; k++) {
            sum += (k >= 148 && k < 156) ? ' ' : (tar[at + k] & 0xff);
        }
        put(tar, at + 148, String.format("%06o\0 ", sum));
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    public static byte[] gunzip(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
