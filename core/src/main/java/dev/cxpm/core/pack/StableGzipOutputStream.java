package dev.cxpm.core.pack;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A gzip writer whose header never varies: no time, no file name, OS byte 255 ("unknown"), no extra
 * flags. The JDK's GZIPOutputStream changed its OS byte between releases, and other writers put the time
 * in; either would make two packs of the same content differ. The deflate stream comes from the JDK's
 * zlib, so identical bytes are guaranteed for one cxpm build on one JDK (zlib output is stable in
 * practice across versions, but no format promises it).
 */
final class StableGzipOutputStream extends DeflaterOutputStream {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final CRC32 crc = new CRC32();
    private boolean finished;

    StableGzipOutputStream(OutputStream out, int level) throws IOException {
        super(out, new Deflater(level, true), 64 * 1024);
        out.write(HEADER);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        super.write(b, off, len);
        crc.update(b, off, len);
    }

    @Override
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        super.finish();
        long size = def.getBytesRead();
        writeLe32(crc.getValue());
        writeLe32(size);
        def.end();
    }

    private void writeLe32(long v) throws IOException {
        out.write((int) (v & 0xff));
        out.write((int) ((v >> 8) & 0xff));
        out.write((int) ((v >> 16) & 0xff));
        out.write((int) ((v >> 24) & 0xff));
    }
}
