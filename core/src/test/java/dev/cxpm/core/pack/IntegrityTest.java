package dev.cxpm.core.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntegrityTest {
    @TempDir
    Path tmp;

    // `printf hello | openssl dgst -sha512 -binary | base64 -w0`
    static final String HELLO = "sha512-m3HSJL1i83hdltRq0+o9czGb+8KJDKra4t/3JRlnPKcjI8PZm6XBHXx6zG4UuMXaDEZjR1wuXDre9G9zvN7AQw==";

    @Test
    void printsAndParsesTheSriForm() {
        Integrity i = Integrity.sha512("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(i.toString()).isEqualTo(HELLO);
        assertThat(Integrity.parse(HELLO)).isEqualTo(i);
    }

    @Test
    void malformedValuesAreUserErrors() {
        assertThatThrownBy(() -> Integrity.parse("md5-abc")).isInstanceOf(UserError.class);
        assertThatThrownBy(() -> Integrity.parse("sha512-not base64!")).isInstanceOf(UserError.class);
        assertThatThrownBy(() -> Integrity.parse("sha512-AAAA")).isInstanceOf(UserError.class).hasMessageContaining("64 bytes");
        assertThatThrownBy(() -> Integrity.parse("")).isInstanceOf(UserError.class);
    }

    @Test
    void verifyAcceptsTheRightFileAndRefusesAChangedOne() throws IOException {
        Path f = tmp.resolve("f");
        Files.writeString(f, "hello");
        Integrity.parse(HELLO).verify(f);
        assertThat(Integrity.parse(HELLO).matches(f)).isTrue();
        Files.writeString(f, "hellO");
        assertThatThrownBy(() -> Integrity.parse(HELLO).verify(f))
                .isInstanceOf(UserError.class).extracting(e -> ((UserError) e).kind()).isEqualTo(UserError.Kind.INTEGRITY);
    }

    @Test
    void aSha512IsTakenExactlyAsTheDecoderTakesIt() {
        // the check by characters against the JDK's decoder on digests as written and every kind of one-character edit
        // (other characters, '=' moved or missing, lengths): the same values accepted, the same words for the others
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ .!\u00e9\u0000";
        java.util.Random random = new java.util.Random(11);
        int accepted = 0;
        int refused = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] raw = new byte[64];
            random.nextBytes(raw);
            StringBuilder edit = new StringBuilder(java.util.Base64.getEncoder().encodeToString(raw));
            switch (round % 5) {
                case 0 -> { }
                case 1 -> edit.setCharAt(random.nextInt(88), chars.charAt(random.nextInt(chars.length())));
                case 2 -> edit.deleteCharAt(random.nextInt(88)).insert(random.nextInt(87), chars.charAt(random.nextInt(chars.length())));
                case 3 -> edit.setLength(80 + random.nextInt(9));
                default -> edit.setCharAt(85, chars.charAt(random.nextInt(64))); // the last bits, which the decoder drops
            }
            String b64 = edit.toString();
            String expected;
            try {
                byte[] d = java.util.Base64.getDecoder().decode(b64);
                expected = d.length == 64 ? null : "a sha512 digest has 64 bytes, not " + d.length;
            } catch (IllegalArgumentException e) {
                expected = "integrity digest is not base64: " + b64;
            }
            if (expected == null) {
                Integrity i = new Integrity("sha512", b64);
                assertThat(i.base64()).isEqualTo(b64);
                assertThat(i.hex()).as(b64).isEqualTo(java.util.HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(b64)));
                accepted++;
            } else {
                assertThatThrownBy(() -> new Integrity("sha512", b64)).as(b64).isInstanceOf(IllegalArgumentException.class).hasMessage(expected);
                refused++;
            }
        }
        assertThat(accepted).isGreaterThan(500);
        assertThat(refused).isGreaterThan(500);
        assertThat(Integrity.fromHex("ab".repeat(64)).hex()).isEqualTo("ab".repeat(64));
        assertThat(Integrity.parse("sha256-" + java.util.Base64.getEncoder().encodeToString(new byte[32])).hex()).isEqualTo("00".repeat(32));
        assertThatThrownBy(() -> new Integrity("sha512", null)).isInstanceOf(NullPointerException.class);
    }
}
