package dev.cxpm.core.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** Tells how many bytes were read so far. */
final class CountingInputStream extends FilterInputStream {
    private final LongConsumer read;
    private long total;

    CountingInputStream(InputStream in, LongConsumer read) {
        super(in);
        this.read = read;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            read.accept(++total);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            read.accept(total += n);
        }
        return n;
    }
}

