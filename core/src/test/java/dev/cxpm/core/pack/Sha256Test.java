package dev.cxpm.core.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Sha256} gives the JDK's SHA-256 digest for every input, however it is fed. */
class Sha256Test {

    @Test
    void theStandardsVectors() {
        // FIPS 180-4 examples: "abc" and the two-block message
        assertThat(hex(new Sha256().update("abc".getBytes(StandardCharsets.US_ASCII)).digest())).isEqualTo(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(hex(new Sha256().update("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".getBytes(StandardCharsets.US_ASCII))
                .digest())).isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        assertThat(hex(new Sha256().digest())).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void everyLengthAroundTheBlockBoundariesMatchesTheJdk() throws Exception {
        Random random = new Random(42);
        for (int n = 0; n <= 1100; n++) {
            byte[] data = new byte[n];
            random.nextBytes(data);
            assertThat(new Sha256().update(data).digest()).as("%d bytes", n).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        }
    }

    @Test
    void anyChunkingGivesTheSameDigest() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            byte[] data = new byte[random.nextInt(round < 290 ? 5000 : 400_000)];
            random.nextBytes(data);
            Sha256 sha = new Sha256();
            for (int i = 0; i < data.length; ) {
                int n = Math.min(data.length - i, random.nextInt(random.nextBoolean() ? 300 : 70_000));
                sha.update(data, i, n);
                i += n;
            }
            assertThat(sha.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        }
    }

    @Test
    void aDigestIsTakenOnce() {
        Sha256 sha = new Sha256().update(new byte[3]);
        sha.digest();
        assertThatThrownBy(sha::digest).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sha.update(new byte[1])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new Sha256().update(new byte[3], 2, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
