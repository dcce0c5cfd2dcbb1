package dev.cxpm.core.pack.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Sha256} and {@link Sha512} give the JDK's digests for every input, however they are fed. */
class BlockDigestTest {

    static Stream<Arguments> digests() {
        return Stream.of(Arguments.of("SHA-256", (Supplier<BlockDigest<?>>) Sha256::new),
                Arguments.of("SHA-512", (Supplier<BlockDigest<?>>) Sha512::new));
    }

    @Test
    void sha256GivesTheStandardsVectors() {
        // FIPS 180-4 examples: "abc" and the two-block message
        assertThat(hex(new Sha256().update("abc".getBytes(StandardCharsets.US_ASCII)).digest())).isEqualTo(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(hex(new Sha256().update("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".getBytes(StandardCharsets.US_ASCII))
                .digest())).isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        assertThat(hex(new Sha256().digest())).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void sha512GivesTheStandardsVectors() {
        assertThat(hex(new Sha512().update("abc".getBytes(StandardCharsets.US_ASCII)).digest())).isEqualTo(
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
        assertThat(hex(new Sha512().update(("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
                + "mnopqrstnopqrstu").getBytes(StandardCharsets.US_ASCII)).digest())).isEqualTo(
                "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
        assertThat(hex(new Sha512().digest())).isEqualTo(
                "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("digests")
    void everyLengthAroundTheBlockBoundariesMatchesTheJdk(String algorithm, Supplier<BlockDigest<?>> digest) throws Exception {
        Random random = new Random(42);
        for (int n = 0; n <= 1100; n++) {
            byte[] data = new byte[n];
            random.nextBytes(data);
            assertThat(digest.get().update(data).digest()).as("%d bytes", n).isEqualTo(MessageDigest.getInstance(algorithm).digest(data));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("digests")
    void anyChunkingGivesTheSameDigest(String algorithm, Supplier<BlockDigest<?>> digest) throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            byte[] data = new byte[random.nextInt(round < 290 ? 5000 : 400_000)];
            random.nextBytes(data);
            BlockDigest<?> sha = digest.get();
            for (int i = 0; i < data.length; ) {
                int n = Math.min(data.length - i, random.nextInt(random.nextBoolean() ? 300 : 70_000));
                sha.update(data, i, n);
                i += n;
            }
            assertThat(sha.digest()).isEqualTo(MessageDigest.getInstance(algorithm).digest(data));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("digests")
    void aDigestIsTakenOnce(String algorithm, Supplier<BlockDigest<?>> digest) {
        BlockDigest<?> sha = digest.get().update(new byte[3]);
        sha.digest();
        assertThatThrownBy(sha::digest).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sha.update(new byte[1])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> digest.get().update(new byte[3], 2, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
