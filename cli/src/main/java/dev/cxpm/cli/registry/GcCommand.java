package dev.cxpm.cli.registry;

import dev.cxpm.cli.Env;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.core.UserError;
import dev.cxpm.registry.storage.backup.BlobGc;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.blob.BlobStore;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxpm registry gc}: blobs no version references, removed after a grace period; versions without blobs, reported. */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"Remove blobs no version references, once older than --grace, and report versions whose blob is missing.",
                "A younger orphan may belong to a publish in flight: it is listed, never removed. Version rows are never deleted."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm registry gc --data /srv/cxpm --dry-run",
                "      List what would be removed, and versions whose blob is missing.",
                "  cxpm registry gc --data /srv/cxpm --grace 48h --json",
                "      Remove orphans older than two days; JSON for a script."})
final class GcCommand implements Runnable {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhd])");

    @CommandLine.ParentCommand
    RegistryCommand parent;

    @CommandLine.Mixin
    StorageOptions storage;

    @Option(names = "--grace", paramLabel = "AGE", defaultValue = "24h",
            description = "Keep orphans younger than this (30m, 24h, 7d); longer than any publish takes. Default: ${DEFAULT-VALUE}.")
    String grace;

    @Option(names = "--dry-run", description = "Only list what would be removed.")
    boolean dryRun;

    @Option(names = "--json", description = "Print JSON: {dryRun, removed: [{integrity, stored}], young: [...], missing: [{plugin, version, integrity}]}.")
    boolean json;

    @Override
    public void run() {
        Env env = parent.env();
        Duration keep = duration(grace);
        BlobGc.Report r;
        // the database first: a --data that holds no registry is refused before a blob directory is made in it
        try (JdbcDatabase db = storage.openDatabase(env, true)) {
            BlobStore blobs = storage.blobStore(env);
            r = BlobGc.run(db, blobs, keep, env.clock().instant(), dryRun);
        } catch (UncheckedIOException e) {
            throw new UserError(UserError.Kind.NETWORK, "cannot read the blob store: " + e.getCause().getMessage());
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("dryRun", dryRun);
            out.put("removed", orphans(r.removed()));
            out.put("young", orphans(r.young()));
            out.put("missing", r.missing().stream().map(m -> Map.of("plugin", m.plugin(), "version", m.version(), "integrity", m.integrity())).toList());
            env.out().println(Backups.json(out));
            return;
        }
        for (BlobGc.Orphan o : r.removed()) {
            env.out().println((dryRun ? "would remove " : "removed ") + o.integrity().hex() + " (stored " + o.stored() + ")");
        }
        for (BlobGc.Orphan o : r.young()) {
            env.out().println("kept " + o.integrity().hex() + " (stored " + o.stored() + ", younger than " + grace + ")");
        }
        for (BlobGc.MissingBlob m : r.missing()) {
            env.out().println("missing blob of " + m.plugin() + "@" + m.version() + " (" + m.integrity() + ")");
        }
        env.out().println((dryRun ? "would remove " : "removed ") + r.removed().size() + " orphan blob(s), kept "
                + r.young().size() + " younger than " + grace + "; " + r.missing().size() + " version(s) with a missing blob");
    }

    private static List<Map<String, String>> orphans(List<BlobGc.Orphan> list) {
        return list.stream().map(o -> Map.of("integrity", o.integrity().hex(), "stored", o.stored().toString())).toList();
    }

    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new UserError(UserError.Kind.USAGE, "--grace must be a number and s, m, h or d (e.g. 24h), not " + text, null);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
