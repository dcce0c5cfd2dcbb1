package dev.cxpm.cli.registry;

import dev.cxpm.cli.Env;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.core.UserError;
import dev.cxpm.registry.storage.backup.BackupException;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.backup.RegistryExport;
import dev.cxpm.registry.storage.blob.BlobStore;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cxpm registry export DIR}: a consistent backup of a registry's storage, while it keeps serving. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Back up a registry's metadata and blobs into a new directory, read straight from its storage.",
                "One consistent snapshot (a publish meanwhile is wholly in or out), tokens as hashes only; the registry may keep serving.",
                "The directory appears only when complete. Restore it with 'cxpm registry import'."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm registry export --data /srv/cxpm /backup/cxpm-2026-12-05",
                "      Back up the embedded registry under /srv/cxpm.",
                "  cxpm registry export --database jdbc:postgresql://db/cxpm /backup/cxpm",
                "      Back up a registry on PostgreSQL (add --blobs s3://BUCKET for S3)."})
final class ExportCommand implements Runnable {

    @CommandLine.ParentCommand
    RegistryCommand parent;

    @CommandLine.Mixin
    StorageOptions storage;

    @Parameters(paramLabel = "DIR", description = "Directory to create (it must not exist, or be empty).")
    String dir;

    @Option(names = "--json", description = "Print JSON: {dir, rows: {plugins, owners, versions, tokens}, blobs, blobBytes}.")
    boolean json;

    @Override
    public void run() {
        Env env = parent.env();
        Path target = env.resolve(dir);
        RegistryExport.Summary s;
        // the database first: a --data that holds no registry is refused before a blob directory is made in it
        try (JdbcDatabase db = storage.openDatabase(env, true)) {
            BlobStore blobs = storage.blobStore(env);
            s = RegistryExport.export(db, blobs, target);
        } catch (BackupException e) {
            throw Backups.userError(e);
        } catch (UncheckedIOException e) {
            throw new UserError(UserError.Kind.IO, "cannot export: " + e.getCause().getMessage());
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("dir", target.toString());
            out.put("rows", s.rows());
            out.put("blobs", s.blobs());
            out.put("blobBytes", s.blobBytes());
            env.out().println(Backups.json(out));
        } else {
            env.out().println("exported " + s.rows().get("plugins") + " plugin(s), " + s.rows().get("versions") + " version(s), "
                    + s.rows().get("tokens") + " token(s) and " + s.blobs() + " blob(s) (" + s.blobBytes() + " bytes) from "
                    + storage.shown(env) + " to " + target);
        }
    }
}
