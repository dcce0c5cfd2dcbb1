package dev.cxpm.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.daemon.DaemonFrames.Answer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the daemon sends of a command's output, and how much of it it holds meanwhile. */
class DaemonAnswerTest {

    /** Every write the daemon made to the socket. */
    static final class Socket extends OutputStream {
        final List<byte[]> writes = new ArrayList<>();

        @Override
        public void write(int b) {
            writes.add(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.add(java.util.Arrays.copyOfRange(b, off, off + len));
        }

        byte[] all() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            writes.forEach(all::writeBytes);
            return all.toByteArray();
        }
    }

    @Test
    void aStdoutOfManyChunksGoesInFramesInTheOrderWrittenAndTheDaemonHoldsAtMostAChunk() throws IOException {
        Socket socket = new Socket();
        Answer answer = new Answer(socket);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        Random random = new Random(12);
        while (stdout.size() < 40 * DaemonFrames.STDOUT_CHUNK) {
            byte[] b = new byte[random.nextInt(3 * DaemonFrames.STDOUT_CHUNK / 2)];
            random.nextBytes(b);
            answer.out.write(b);
            answer.out.flush(); // PrintWriter's autoflush at every line: not a frame
            stdout.writeBytes(b);
            both.writeBytes(b);
            if (random.nextInt(4) == 0) {
                byte[] e = ("warning " + stdout.size() + "\n").getBytes(StandardCharsets.US_ASCII);
                answer.err.write(e);
                answer.err.flush();
                both.writeBytes(e);
            }
        }
        answer.done(3);

        assertThat(answer.mostHeld()).isLessThanOrEqualTo(DaemonFrames.STDOUT_CHUNK);
        Decoded d = decode(socket.all());
        assertThat(d.code).isEqualTo(3);
        assertThat(d.stdout.toByteArray()).isEqualTo(stdout.toByteArray());
        assertThat(d.both.toByteArray()).as("stdout and stderr in the order written").isEqualTo(both.toByteArray());
        assertThat(d.largest).isLessThanOrEqualTo(DaemonFrames.STDOUT_CHUNK);
    }

    /** The everyday command: its stdout is small and no stderr follows it, so the whole answer is one write, as before. */
    @Test
    void aSmallStdoutGoesWithTheExitCodeInOneWrite() throws IOException {
        Socket socket = new Socket();
        Answer answer = new Answer(socket);
        answer.out.write("cxpm 1.0\n".getBytes(StandardCharsets.US_ASCII));
        answer.out.flush();
        answer.done(0);
        assertThat(socket.writes).hasSize(1);
        assertThat(new String(socket.writes.getFirst(), StandardCharsets.US_ASCII)).isEqualTo("DONE 0 9\ncxpm 1.0\n");
    }

    /** A launcher that went away: the command runs on to its end, its output dropped, and nothing more is tried. */
    @Test
    void aLauncherThatWentAwayLeavesTheCommandRunningToItsEnd() throws IOException {
        int[] tries = {0};
        Answer answer = new Answer(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                tries[0]++;
                throw new IOException("Broken pipe");
            }
        });
        byte[] chunk = new byte[DaemonFrames.STDOUT_CHUNK];
        for (int i = 0; i < 10; i++) {
            answer.out.write(chunk);
            answer.err.write('x');
            answer.err.flush();
        }
        answer.done(0);
        assertThat(tries[0]).isEqualTo(1);
        assertThat(answer.mostHeld()).isLessThanOrEqualTo(DaemonFrames.STDOUT_CHUNK);
    }

    record Decoded(int code, ByteArrayOutputStream stdout, ByteArrayOutputStream both, int largest) {
    }

    /** Reads the frames as the launcher does. */
    private static Decoded decode(byte[] wire) throws IOException {
        InputStream in = new ByteArrayInputStream(wire);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        int largest = 0;
        while (true) {
            String[] head = line(in).split(" ");
            if (head[0].equals("DONE")) {
                byte[] rest = in.readAllBytes();
                if (head.length > 2) {
                    assertThat(rest).hasSize(Integer.parseInt(head[2]));
                }
                stdout.writeBytes(rest);
                both.writeBytes(rest);
                return new Decoded(Integer.parseInt(head[1]), stdout, both, Math.max(largest, rest.length));
            }
            byte[] b = in.readNBytes(Integer.parseInt(head[1]));
            assertThat(head[0]).isIn("ERR", "TXT", "OUT");
            if (head[0].equals("TXT")) {
                assertThat(b.length).isLessThanOrEqualTo(DaemonFrames.STDOUT_WITH_LENGTH);
                assertThat(b).doesNotContain((byte) 0);
            }
            if (!head[0].equals("ERR")) {
                stdout.writeBytes(b);
                largest = Math.max(largest, b.length);
            }
            both.writeBytes(b);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            assertThat(c).isNotNegative();
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
