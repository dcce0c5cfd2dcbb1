package dev.cxpm.cli.registry;

import dev.cxpm.cli.Env;
import dev.cxpm.core.FileText;
import dev.cxpm.core.UserError;
import dev.cxpm.registry.ops.CostlyRequests;
import dev.cxpm.registry.RegistryServer;
import dev.cxpm.registry.ops.AccessLog;
import dev.cxpm.registry.ops.Metrics;
import dev.cxpm.registry.ops.Operations;
import dev.cxpm.registry.ops.RateLimits;
import dev.cxpm.registry.publish.PluginArchive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * The options of {@code cxpm serve} an operator runs it with: access log, who reads {@code /metrics}, request limits,
 * whether a proxy's {@code X-Forwarded-For} is believed, the shutdown grace; and the wait for SIGTERM or SIGINT that
 * ends in a graceful shutdown and exit status 0.
 */
final class ServeOperations {

    @Option(names = "--access-log", paramLabel = "FILE|-|off",
            description = "One JSON line per request (time, request id, method, route, status, bytes, duration, address, user): "
                    + "appended to FILE, '-' for stderr, 'off' for none. Default: ${DEFAULT-VALUE}.", defaultValue = "-")
    String accessLog;

    @Option(names = "--metrics-token-file", paramLabel = "FILE",
            description = "Serve /metrics only to requests with 'Authorization: Bearer TOKEN', TOKEN the file's first line "
                    + "(default: /metrics is served to this machine's loopback address only).")
    String metricsTokenFile;

    @Option(names = "--rate-limit", paramLabel = "PER_MINUTE/BURST",
            description = "Requests per client address: BURST at once, then PER_MINUTE a minute; 429 with Retry-After past it; "
                    + "'off' for none. Default: ${DEFAULT-VALUE}.", defaultValue = "1200/600")
    String rateLimit;

    @Option(names = "--token-rate-limit", paramLabel = "PER_MINUTE/BURST",
            description = "The same per token, on the routes that take one (publish, yank, owners, tokens). Default: ${DEFAULT-VALUE}.",
            defaultValue = "600/120")
    String tokenRateLimit;

    @Option(names = "--trust-proxy", description = "Take the client's address from the last X-Forwarded-For entry (set it only "
            + "behind a proxy that appends it; otherwise clients could pick their own address and escape --rate-limit).")
    boolean trustProxy;

    @Option(names = "--shutdown-grace", paramLabel = "SECONDS", description = "On SIGTERM or SIGINT, stop accepting and let requests in "
            + "flight finish for up to this long before closing them. Default: ${DEFAULT-VALUE}.", defaultValue = "20")
    int shutdownGraceSeconds;

    @Option(names = "--max-upload-size", paramLabel = "BYTES", description = "Largest publish body accepted (413 past it; at most "
            + PluginArchive.MAX_COMPRESSED_BYTES + "). Default: ${DEFAULT-VALUE}.", defaultValue = "" + PluginArchive.MAX_COMPRESSED_BYTES)
    long maxUploadSize;

    @Option(names = "--max-uploads", paramLabel = "N", description = "Publish bodies received at once (each may take 50 MiB of "
            + "DIR/uploads); 503 with Retry-After past it. Default: ${DEFAULT-VALUE}.", defaultValue = "" + RegistryServer.Options.DEFAULT_MAX_UPLOADS)
    int maxUploads;

    @Option(names = "--costly-requests", paramLabel = "AT_ONCE/WAITING", description = "Searches and rendered pages answered at once "
            + "(each takes a core while it runs) and how many more may wait; 503 with Retry-After past that, while index documents, "
            + "blobs and the Codex view go on answering. Default: half the cores (at least 1) at once, 32 per core waiting.")
    String costlyRequests;

    private static final Pattern RATE = Pattern.compile("(\\d{1,9})/(\\d{1,9})");

    int maxUploads() {
        return maxUploads;
    }

    /** The options as the server takes them; a bad one is a usage error before anything is opened. */
    Operations parse(Env env, Metrics metrics) {
        RateLimits.Rate perAddress = rate("--rate-limit", rateLimit);
        RateLimits.Rate perToken = rate("--token-rate-limit", tokenRateLimit);
        if (shutdownGraceSeconds < 0 || shutdownGraceSeconds > 3600) {
            throw new UserError(UserError.Kind.USAGE, "--shutdown-grace must be 0 to 3600 seconds, not " + shutdownGraceSeconds, null);
        }
        if (maxUploadSize < 1 || maxUploadSize > PluginArchive.MAX_COMPRESSED_BYTES) {
            throw new UserError(UserError.Kind.USAGE, "--max-upload-size must be 1 to " + PluginArchive.MAX_COMPRESSED_BYTES
                    + " bytes, not " + maxUploadSize, null);
        }
        if (maxUploads < 1 || maxUploads > 64) {
            throw new UserError(UserError.Kind.USAGE, "--max-uploads must be 1 to 64, not " + maxUploads, null);
        }
        Optional<String> token = Optional.ofNullable(metricsTokenFile).map(f -> metricsToken(env.resolve(f)));
        return new Operations(accessLog(env), token, perAddress, perToken, trustProxy, Duration.ofSeconds(shutdownGraceSeconds),
                maxUploadSize, metrics, costlyRequests());
    }

    private CostlyRequests.Limits costlyRequests() {
        if (costlyRequests == null) {
            return CostlyRequests.Limits.defaults();
        }
        Matcher m = RATE.matcher(costlyRequests);
        String usage = "--costly-requests must be AT_ONCE/WAITING (1 to " + CostlyRequests.Limits.MAX + " at once, 0 to "
                + CostlyRequests.Limits.MAX * 16 + " waiting), not " + costlyRequests;
        if (!m.matches()) {
            throw new UserError(UserError.Kind.USAGE, usage, "e.g. --costly-requests 4/128");
        }
        try {
            return new CostlyRequests.Limits(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (IllegalArgumentException e) {
            throw new UserError(UserError.Kind.USAGE, usage, "e.g. --costly-requests 4/128");
        }
    }

    private static RateLimits.Rate rate(String option, String text) {
        if (text.equals("off") || text.equals("0")) {
            return RateLimits.Rate.NONE;
        }
        Matcher m = RATE.matcher(text);
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(2)) < 1) {
            throw new UserError(UserError.Kind.USAGE, option + " must be PER_MINUTE/BURST (both at least 1) or off, not " + text,
                    "e.g. " + option + " 1200/600");
        }
        return new RateLimits.Rate(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    private static String metricsToken(Path file) {
        try {
            String token;
            try { // not by its size: a link to /dev/zero has none, and never ends
                token = FileText.read(file, 4096).lines().findFirst().orElse("").strip();
            } catch (FileText.NotRegularFile e) { // a named pipe's open would wait for a writer, forever
                throw new UserError(UserError.Kind.USAGE, "--metrics-token-file " + e.getMessage(), "put only the token in a file");
            } catch (FileText.TooLarge e) {
                throw new UserError(UserError.Kind.USAGE, "--metrics-token-file " + file + " is larger than 4096 bytes", "put only the token in it");
            }
            if (token.length() < 16) {
                throw new UserError(UserError.Kind.USAGE, "--metrics-token-file " + file + " must hold a token of at least 16 characters",
                        "e.g. head -c 24 /dev/urandom | base64 > " + file);
            }
            return token;
        } catch (IOException | UncheckedIOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read --metrics-token-file " + file + ": " + e.getMessage());
        }
    }

    private AccessLog accessLog(Env env) {
        return switch (accessLog) {
            case "off" -> AccessLog.OFF;
            case "-" -> AccessLog.to(env.err());
            default -> {
                try {
                    yield AccessLog.appendingTo(env.resolve(accessLog));
                } catch (UncheckedIOException e) {
                    throw new UserError(UserError.Kind.IO, "cannot open --access-log " + accessLog + ": " + e.getCause().getMessage());
                }
            }
        };
    }

    /**
     * Waits for SIGTERM or SIGINT, then runs {@code shutdown} (stop accepting, finish requests in flight, close the
     * storage) and returns, so the command ends with status 0: a supervisor sees a clean stop, not a kill. A
     * shutdown hook does the same for any other way the JVM is asked to exit (SIGHUP, say).
     */
    static void runUntilStopped(Env env, Duration grace, Runnable shutdown) {
        CountDownLatch signalled = new CountDownLatch(1);
        Runnable once = new Runnable() {
            private boolean done;

            @Override
            public synchronized void run() {
                if (!done) {
                    done = true;
                    shutdown.run();
                }
            }
        };
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> signalled.countDown());
            } catch (IllegalArgumentException e) {
                // the signal is reserved here (e.g. -Xrs): the shutdown hook still closes cleanly
            }
        }
        Thread hook = new Thread(once, "cxpm-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            signalled.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        env.err().println("stopping: finishing requests in flight (up to " + grace.toSeconds() + " s), then closing the storage");
        env.err().flush();
        once.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook finds the work done
        }
        env.err().println("stopped");
        env.err().flush();
    }
}
