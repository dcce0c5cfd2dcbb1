package dev.cxpm.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Every number of a registry's index answer is read once into a checked value: Jackson's {@code asLong()} read a size
 * of 2^80 as 0 (and a sequence of 2^80, or -3, as "no sequence", the answer of a registry older than signing).
 */
class RegistryNumbersTest {
    private static final String SHA = "sha512-" + "A".repeat(86) + "==";

    private static RegistryIndex parse(String size, String sequence) {
        String doc = "{\"name\": \"demo\"" + (sequence == null ? "" : ", \"sequence\": " + sequence)
                + ", \"versions\": [{\"version\": \"1.0.0\", \"integrity\": \"" + SHA + "\", \"tarball\": \"/b\""
                + (size == null ? "" : ", \"size\": " + size) + "}]}";
        return RegistryIndex.parse(doc.getBytes(StandardCharsets.UTF_8), "http://127.0.0.1:1/api/v1/plugins/demo");
    }

    @Test
    void aSizeThatIsNoArchiveSizeRefusesTheAnswerNamingTheVersionAndTheValue() {
        for (String size : new String[] {"1208925819614629174706176", "-5", "1.5", "\"12\"", "true", "null", "1e3", "99999999999"}) {
            assertThatThrownBy(() -> parse(size, "4"))
                    .as(size)
                    .isInstanceOf(UserError.class)
                    .hasMessageContaining("the index document from http://127.0.0.1:1/api/v1/plugins/demo cannot be read")
                    .hasMessageContaining("the size of version 1.0.0 is `")
                    .hasMessageContaining("not a size of an archive (a whole number of bytes from 0 to " + ArchiveSize.MAX + ")");
        }
    }

    @Test
    void aSizeWithinTheBoundIsReadAsWrittenAndOneLeftOutIsNone() {
        assertThat(parse("0", "4").releases().getFirst().size()).contains(new ArchiveSize(0));
        assertThat(parse(Long.toString(ArchiveSize.MAX), "4").releases().getFirst().size()).contains(new ArchiveSize(ArchiveSize.MAX));
        assertThat(parse("1234", "4").releases().getFirst().size()).contains(new ArchiveSize(1234));
        assertThat(parse(null, "4").releases().getFirst().size()).isEmpty();
    }

    @Test
    void aSequenceThatIsNoWholeNumberFromZeroRefusesTheAnswerRatherThanPassingForAnUnsignedRegistry() {
        for (String sequence : new String[] {"1208925819614629174706176", "-3", "2.5", "\"7\""}) {
            assertThatThrownBy(() -> parse("10", sequence))
                    .as(sequence)
                    .isInstanceOf(UserError.class)
                    .hasMessageContaining("its sequence is `");
        }
        assertThat(parse("10", "9223372036854775807").sequence()).isEqualTo(Long.MAX_VALUE);
        assertThat(parse("10", "0").sequence()).isZero();
        assertThat(parse("10", null).sequence()).isEqualTo(RegistryIndex.NO_SEQUENCE);
    }
}
