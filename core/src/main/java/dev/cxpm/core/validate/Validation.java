package dev.cxpm.core.validate;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.ManifestKind;
import dev.cxpm.core.format.marketplace.Marketplace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What {@code cxpm validate PATH} validates: a plugin directory, a marketplace directory, both (a directory
 * holding both manifests: kind {@code plugin+marketplace}, problems of both), or the kind a named manifest file
 * belongs to ({@code .../plugin.json} → its plugin, {@code .../marketplace.json} → its marketplace; the whole
 * plugin or marketplace is validated, every manifest it carries included).
 */
public final class Validation {
    private static final Set<String> MARKETPLACE_FILES = Set.of("marketplace.json", "api_marketplace.json");
    private final boolean strict;

    public Validation(boolean strict) {
        this.strict = strict;
    }

    public ValidationReport validate(Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new UserError(UserError.Kind.USAGE, p + ": no such file or directory");
        }
        if (Files.isRegularFile(p)) {
            String name = p.getFileName().toString();
            if (name.equals("plugin.json")) {
                Path parent = p.getParent();
                String dir = parent.getFileName() == null ? "" : parent.getFileName().toString();
                Path root = dir.endsWith("-plugin") && dir.startsWith(".") ? parent.getParent() : parent;
                return new PluginValidator(strict).report(root);
            }
            if (MARKETPLACE_FILES.contains(name)) {
                return new MarketplaceValidator(strict).report(Marketplace.rootOf(p));
            }
            throw new UserError(UserError.Kind.USAGE, p + ": not a plugin or marketplace manifest",
                    "name a plugin directory, a marketplace directory, or a plugin.json / marketplace.json file");
        }
        boolean marketplace = Marketplace.findManifest(p).isPresent();
        boolean plugin = hasPluginManifest(p);
        if (marketplace && plugin) {
            List<Problem> all = new ArrayList<>(new PluginValidator(strict).validate(p));
            all.addAll(new MarketplaceValidator(strict).validate(p));
            return new ValidationReport(p, "plugin+marketplace", all);
        }
        if (marketplace) {
            return new MarketplaceValidator(strict).report(p);
        }
        return new PluginValidator(strict).report(p);
    }

    private static boolean hasPluginManifest(Path dir) {
        for (ManifestKind k : ManifestKind.values()) {
            if (k != ManifestKind.AGENT_PLUGINS_ROOT && Files.isRegularFile(dir.resolve(k.relativePath()))) {
                return true;
            }
        }
        return dev.cxpm.core.format.ManifestLocation.find(dir).isPresent();
    }
}
