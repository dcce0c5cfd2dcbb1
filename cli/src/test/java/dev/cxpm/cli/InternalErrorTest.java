package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@link Error} thrown while a command runs (a stack overflow, memory running out) reaches the user as
 * what any bug in cxpm is: exit 70 and one line naming the command, never a Java stack trace. The command's
 * standard output is where the Error comes from here: the first thing the command prints throws it.
 */
class InternalErrorTest {
    @TempDir
    Path tmp;

    @Test
    void aStackOverflowInACommandIsExit70WithOneLineAndNoStackTrace() {
        StringWriter err = new StringWriter();
        int code = Main.run(env(new FailingOnce(new StackOverflowError()), err), "list");

        assertThat(code).isEqualTo(70);
        assertThat(err.toString()).isEqualTo("""
                internal error: `cxpm list` threw java.lang.StackOverflowError
                hint: this is a bug in cxpm: please report it with what `cxpm list --debug` prints
                """);
    }

    @Test
    void anOutOfMemoryErrorWithJsonIsTheJsonErrorShape() throws Exception {
        FailingOnce out = new FailingOnce(new OutOfMemoryError("Java heap space"));
        StringWriter err = new StringWriter();
        int code = Main.run(env(out, err), "list", "--json");

        assertThat(code).isEqualTo(70);
        assertThat(err.toString()).isEmpty();
        JsonNode error = new ObjectMapper().readTree(out.printed.toString()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("internal");
        assertThat(error.path("message").asText()).isEqualTo("internal error: `cxpm list` threw java.lang.OutOfMemoryError: Java heap space");
        assertThat(error.path("hint").asText()).contains("report it");
    }

    @Test
    void debugShowsTheStackTrace() {
        StringWriter err = new StringWriter();
        int code = Main.run(env(new FailingOnce(new StackOverflowError()), err), "list", "--debug");

        assertThat(code).isEqualTo(70);
        assertThat(err.toString()).contains("java.lang.StackOverflowError").contains("\tat ");
    }

    private Env env(Writer out, StringWriter err) {
        Map<String, String> vars = Map.of("HOME", tmp.resolve("home").toString(), "CODEX_HOME", tmp.resolve("codex").toString(),
                "PATH", System.getenv("PATH"));
        return new Env(vars, tmp, new PrintWriter(out, true), new PrintWriter(err, true), Clock.systemUTC());
    }

    /** A standard output whose first write throws the given Error; later writes are kept. */
    private static final class FailingOnce extends Writer {
        final StringWriter printed = new StringWriter();
        private Error toThrow;

        FailingOnce(Error toThrow) {
            this.toThrow = toThrow;
        }

        @Override
        public void write(char[] buf, int off, int len) {
            if (toThrow != null) {
                Error e = toThrow;
                toThrow = null;
                throw e;
            }
            printed.write(buf, off, len);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
