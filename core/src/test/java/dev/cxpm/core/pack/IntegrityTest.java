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
}
