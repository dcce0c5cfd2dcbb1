package dev.cxpm.core.pack;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The streams {@link Unpacker} reads an archive through: one that bounds what comes out of the decompressor, one that writes an entry while it is read. */
final class ArchiveStreams {

    private ArchiveStreams() {
    }

    /** What is read from the entry is written to out (a failed write is the disk's), and no more than the limit for one file. */
    static final class Tee extends FilterInputStream {
        private final OutputStream out;
        private final long max;
        private final Path tgz;
        private final String entry;
        private long written;

        Tee(InputStream in, OutputStream out, long max, Path tgz, String entry) {
            super(in);
            this.out = out;
            this.max = max;
            this.tgz = tgz;
            this.entry = entry;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                written += n;
                if (written > max) {
                    throw UnpackRules.refused(tgz, "entry " + entry + " holds more bytes than its header says");
                }
                try {
                    out.write(b, off, n);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return n;
        }

        /** Closes the file written, not the archive: the tar stream goes on to the next entry. */
        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Stops reading once more than {@code budget} bytes came out of the decompressor. */
    static final class Bounded extends FilterInputStream {
        private long left;

        Bounded(InputStream in, long budget) {
            super(in);
            this.left = budget;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --left < 0) {
                throw new IOException("decompressed size over the limit");
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (left -= n) < 0) {
                throw new IOException("decompressed size over the limit");
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            if ((left -= s) < 0) {
                throw new IOException("decompressed size over the limit");
            }
            return s;
        }
    }
}
