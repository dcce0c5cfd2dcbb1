package dev.cxpm.core.validate;

import dev.cxpm.core.UserError;
import dev.cxpm.core.pack.GitReservedNames;
import dev.cxpm.core.pack.Packer;
import java.nio.file.Path;

/**
 * What {@code cxpm pack} will leave out of a plugin that its author may expect in it: entries whose names git
 * treats specially ({@code .gitattributes}, {@code .gitmodules}, look-alikes of {@code .git}), which every
 * registry refuses; named pipes, sockets and devices, which no reader opens. Warnings only, never errors, so that pack (which validates strictly) still packs the rest.
 * The plugin's own {@code .git} is expected and not mentioned.
 */
final class PackWarnings {
    private PackWarnings() {
    }

    static void check(Path root, Problems p) {
        Packer.Listing listing;
        try {
            listing = Packer.scan(root);
        } catch (UserError unreadable) {
            return; // pack reports it, with the file it could not read
        }
        listing.excluded().stream().filter(e -> e.reason().equals(GitReservedNames.LEFT_OUT)).forEach(e ->
                p.warning("pack.git-reserved-name", root.resolve(e.path()), 0, "`" + e.path() + "` is " + GitReservedNames.LEFT_OUT
                        + ": cxpm pack leaves it out", "delete it, or list it in .cxpmignore"));
        listing.excluded().stream().filter(e -> e.reason().equals(Packer.NOT_A_FILE)).forEach(e ->
                p.warning("pack.not-a-file", root.resolve(e.path()), 0, "`" + e.path() + "` is " + Packer.NOT_A_FILE
                        + ": cxpm pack leaves it out, and nothing reads it", "delete it, or list it in .cxpmignore"));
    }
}
