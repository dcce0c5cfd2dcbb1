package dev.cxpm.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.daemon.DaemonFrames.Answer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A command's stderr is held by the daemon until it is flushed, and a message is flushed once, at its end: a message of
 * megabytes (every problem of a hand-edited cxpm.lock of 16 MiB, one line each, is one message) was held whole, then
 * copied twice more into its frame, in a daemon of 256 MB, where stdout is held at most a chunk at a time. Now stderr
 * too goes out in frames of at most {@link DaemonFrames#STDOUT_CHUNK} as it is written.
 */
class DaemonStderrBoundTest {
    @Test
    void aStderrMessageOfMegabytesIsSentInFramesOfAtMostAChunkAsItIsWritten() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        Answer answer = new Answer(wire);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(answer.err, StandardCharsets.UTF_8), true);
        StringBuilder message = new StringBuilder("error: cxpm.lock cannot be used (100000 problems):");
        for (int i = 0; i < 100_000; i++) {
            message.append("\n  cxpm.lock:").append(i).append(": `name`: path traversal is not allowed");
        }
        err.println(message);
        answer.out.write("out\n".getBytes(StandardCharsets.US_ASCII));
        answer.done(1);
        assertThat(answer.mostHeld()).as("held at once").isLessThanOrEqualTo(DaemonFrames.STDOUT_CHUNK);
        // the frames, read as the launcher reads them: stderr whole and in order, then stdout with the code
        byte[] b = wire.toByteArray();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int at = 0;
        int largest = 0;
        while (true) {
            int nl = indexOf(b, at);
            String[] head = new String(b, at, nl - at, StandardCharsets.US_ASCII).split(" ");
            at = nl + 1;
            if (head[0].equals("DONE")) {
                assertThat(head[1]).isEqualTo("1");
                assertThat(new String(b, at, b.length - at, StandardCharsets.US_ASCII)).isEqualTo("out\n");
                break;
            }
            assertThat(head[0]).isEqualTo("ERR");
            int n = Integer.parseInt(head[1]);
            largest = Math.max(largest, n);
            stderr.write(b, at, n);
            at += n;
        }
        assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo(message + System.lineSeparator());
        assertThat(largest).isLessThanOrEqualTo(DaemonFrames.STDOUT_CHUNK);
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        throw new AssertionError("no frame line");
    }
}
