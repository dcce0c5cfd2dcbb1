package dev.cxpm.cli.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;

/**
 * The first exchange on a connection to the {@link Daemon}: the two secrets one start of it picked (a client's and its
 * own, each a line), and the proof that a connection came from the user's launcher: it presents the client secret
 * within {@link #HANDSHAKE}, and only then is answered the daemon secret (the protocol: {@link Daemon}).
 */
final class DaemonHandshake {
    /**
     * How long a connection may take to present the client secret, in all (the launcher takes milliseconds): a timeout per
     * read alone would let a client that sends a byte now and then hold a handshake slot for many minutes.
     */
    static final Duration HANDSHAKE = Duration.ofSeconds(5);
    /** 128 random bits each, in hex: guessing one takes a connection per guess, each hung up on. */
    private static final int SECRET_BYTES = 16;
    /** A secret in hex and its newline. */
    static final int SECRET_LINE = 2 * SECRET_BYTES + 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a client presents first, and what the daemon answers to it alone: each a line, fresh at each start. */
    final byte[] clientSecret = secretLine();
    private final byte[] daemonSecret = secretLine();

    private static byte[] secretLine() {
        byte[] b = new byte[SECRET_BYTES];
        RANDOM.nextBytes(b);
        return (HexFormat.of().formatHex(b) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code client-secret daemon-secret}, as the daemon file names them after the port. */
    String secrets() {
        return line(clientSecret) + " " + line(daemonSecret);
    }

    private static String line(byte[] secret) {
        return new String(secret, 0, secret.length - 1, StandardCharsets.US_ASCII);
    }

    /**
     * True when the client presented this start's client secret within {@link #HANDSHAKE}, which is then answered with
     * the daemon secret; reads that one line and no more, and says nothing to anyone else.
     */
    boolean proved(Socket socket, InputStream in, OutputStream out) throws IOException {
        Deadline deadline = new Deadline(socket, System.nanoTime() + HANDSHAKE.toNanos());
        byte[] presented = new byte[SECRET_LINE];
        for (int n = 0; n < presented.length; ) {
            int read = deadline.read(in, presented, n, presented.length - n);
            if (read < 0) {
                return false;
            }
            n += read;
        }
        if (!MessageDigest.isEqual(presented, clientSecret)) { // constant time: no digit told by how soon it was refused
            return false;
        }
        out.write(daemonSecret);
        out.flush();
        quickAck(socket);
        return true;
    }

    /**
     * Answering at once put the connection in Linux's interactive mode, where the kernel holds back its ACKs for 40 ms
     * hoping to send them with data; but the launcher's bash writes its proof and its request in several writes
     * (its printf flushes at each newline and every 4 KB), and Nagle's algorithm on its side sends each one only once
     * the one before was acknowledged: so every command waited 40 ms or more. Leaving that mode acknowledges at once.
     */
    private static void quickAck(Socket socket) {
        try {
            socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
        } catch (IOException | UnsupportedOperationException notLinux) {
            // slower, not wrong
        }
    }

    /** Reads from a socket until a moment, whatever pace the bytes come at. */
    private record Deadline(Socket socket, long nanos) {
        int read(InputStream in, byte[] b, int off, int len) throws IOException {
            long left = TimeUnit.NANOSECONDS.toMillis(nanos - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("handshake took longer than " + HANDSHAKE);
            }
            socket.setSoTimeout((int) left);
            return in.read(b, off, len);
        }
    }
}
