package dev.cxpm.core.pack.digest;

/**
 * What {@link Sha256} and {@link Sha512} share (FIPS 180-4's Merkle-Damgard frame): input gathered into blocks, each
 * block compressed into the state, and the padding (0x80, zeros, the length in bits, big-endian, at the block's end).
 * The subclass gives the block size, the width of the length field, the compression and the state's bytes. Not
 * thread-safe; one digest per instance.
 */
abstract sealed class BlockDigest<D extends BlockDigest<D>> permits Sha256, Sha512 {
    private final byte[] block;
    private final int lengthField;
    private int filled;
    private long length;
    private boolean done;

    /** blockSize: bytes per block; lengthField: bytes of the length field that ends the padding (its high part zero). */
    BlockDigest(int blockSize, int lengthField) {
        this.block = new byte[blockSize];
        this.lengthField = lengthField;
    }

    /** Compresses the block at {@code b[off..off+blockSize)} into the state. */
    abstract void compress(byte[] b, int off);

    /** The state as the digest's bytes. */
    abstract byte[] output();

    public final D update(byte[] bytes) {
        return update(bytes, 0, bytes.length);
    }

    @SuppressWarnings("unchecked") // D is the subclass itself (permits)
    public final D update(byte[] bytes, int offset, int count) {
        if (done) {
            throw new IllegalStateException("digest() was already called");
        }
        java.util.Objects.checkFromIndexSize(offset, count, bytes.length);
        int size = block.length;
        length += count;
        int i = offset;
        int end = offset + count;
        if (filled > 0) {
            int n = Math.min(size - filled, count);
            System.arraycopy(bytes, i, block, filled, n);
            filled += n;
            i += n;
            if (filled < size) {
                return (D) this;
            }
            compress(block, 0);
            filled = 0;
        }
        for (; end - i >= size; i += size) {
            compress(bytes, i);
        }
        System.arraycopy(bytes, i, block, 0, end - i);
        filled = end - i;
        return (D) this;
    }

    /** The digest of everything given to {@link #update}; the instance is done afterwards. */
    public final byte[] digest() {
        if (done) {
            throw new IllegalStateException("digest() was already called");
        }
        int size = block.length;
        long bits = length << 3;
        block[filled++] = (byte) 0x80;
        if (filled > size - lengthField) {
            java.util.Arrays.fill(block, filled, size, (byte) 0);
            compress(block, 0);
            filled = 0;
        }
        java.util.Arrays.fill(block, filled, size - 8, (byte) 0); // a wider length field's high bytes: 0 below 2^61 bytes
        for (int i = 0; i < 8; i++) {
            block[size - 8 + i] = (byte) (bits >>> (56 - 8 * i));
        }
        compress(block, 0);
        done = true;
        return output();
    }
}
