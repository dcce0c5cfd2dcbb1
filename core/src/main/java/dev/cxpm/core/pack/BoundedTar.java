package dev.cxpm.core.pack;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A tar reader that refuses a GNU long name or link, or a PAX extended header, bigger than {@link #MAX_META} instead
 * of reading it all into memory (commons-compress keeps them whole; it reads them through this stream): a few hundred
 * KB of gzip can hold one of hundreds of MB. Every untrusted archive is read through it: the client's {@link Unpacker}
 * and the registry's publish check alike.
 */
public final class BoundedTar extends TarArchiveInputStream {
    static final int MAX_META = 64 * 1024;

    public BoundedTar(InputStream tar) {
        super(tar, "UTF-8");
    }

    @Override
    public int read(byte[] buf, int offset, int length) throws IOException {
        TarArchiveEntry e = getCurrentEntry();
        if (e != null && (e.isPaxHeader() || e.isGlobalPaxHeader()) && e.getSize() > MAX_META) {
            throw new IOException("a PAX header of " + e.getSize() + " bytes");
        }
        return super.read(buf, offset, length);
    }

    @Override
    protected byte[] getLongNameData() throws IOException {
        TarArchiveEntry e = getCurrentEntry();
        if (e != null && e.getSize() > MAX_META) {
            throw new IOException("a long name of " + e.getSize() + " bytes");
        }
        return super.getLongNameData();
    }
}
