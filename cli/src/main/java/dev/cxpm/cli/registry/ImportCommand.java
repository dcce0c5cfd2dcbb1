package dev.cxpm.cli.registry;

import dev.cxpm.cli.Env;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.core.UserError;
import dev.cxpm.registry.storage.backup.BackupException;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.backup.RegistryImport;
import dev.cxpm.registry.storage.blob.BlobStore;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cxpm registry import DIR}: an export restored into an empty registry, on any storage. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Restore an export into a new, empty registry: SQLite or PostgreSQL, blobs in a directory or S3.",
                "Every blob and file is checked against the export's manifest first, and all rows go in in one transaction: "
                        + "a refused export leaves the registry empty. Run it before starting 'cxpm serve' on the new storage."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm registry import --data /srv/cxpm-restored /backup/cxpm-2026-12-05",
                "      Restore a backup into a new embedded registry.",
                "  cxpm registry import --database jdbc:postgresql://db/cxpm /backup/cxpm",
                "      Move a registry to PostgreSQL (add --blobs s3://BUCKET for S3)."})
final class ImportCommand implements Runnable {

    @CommandLine.ParentCommand
    RegistryCommand parent;

    @CommandLine.Mixin
    StorageOptions storage;

    @Parameters(paramLabel = "DIR", description = "A directory written by 'cxpm registry export'.")
    String dir;

    @Option(names = "--json", description = "Print JSON: {rows: {plugins, owners, versions, tokens}, blobs}.")
    boolean json;

    @Override
    public void run() {
        Env env = parent.env();
        RegistryImport.Summary s;
        try {
            // the export first: what is none is refused before the target's database and blob directory are made
            RegistryImport.Export export = RegistryImport.read(env.resolve(dir));
            BlobStore blobs = storage.blobStore(env);
            try (JdbcDatabase db = storage.openDatabase(env, false)) {
                s = RegistryImport.importFrom(export, db, blobs);
            }
        } catch (BackupException e) {
            throw Backups.userError(e);
        } catch (UncheckedIOException e) {
            throw new UserError(UserError.Kind.IO, "cannot import: " + e.getCause().getMessage(), "nothing was imported");
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("rows", s.rows());
            out.put("blobs", s.blobs());
            env.out().println(Backups.json(out));
        } else {
            env.out().println("imported " + s.rows().get("plugins") + " plugin(s), " + s.rows().get("versions") + " version(s), "
                    + s.rows().get("tokens") + " token(s) and " + s.blobs() + " blob(s) into " + storage.shown(env));
        }
    }
}
