package dev.cxpm.core.audit;

import dev.cxpm.core.PlainText;
import dev.cxpm.core.UserError;
import dev.cxpm.core.marketplace.RegistryMarketplaces;
import dev.cxpm.core.registry.Advisory;
import dev.cxpm.core.registry.RegistryIndex;
import java.net.URI;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a cxpm registry says about the installed version of a plugin from it: yanked, deprecated, or inside the
 * range of a published advisory. Reads the index document fresh (revalidated by ETag) and falls back to the
 * cached copy when the registry cannot be reached, noting its age; with neither, the plugin is noted unchecked.
 */
public final class RegistryStatus implements AuditCheck {
    private final RegistryMarketplaces registries;
    private final Set<String> warnedIndexes = new HashSet<>();

    public RegistryStatus(RegistryMarketplaces registries) {
        this.registries = registries;
    }

    @Override
    public void check(AuditedPlugin plugin, Findings out) {
        Optional<URI> url = registries.url(plugin.marketplace());
        if (url.isEmpty()) {
            return;
        }
        RegistryMarketplaces.Indexed indexed;
        try {
            indexed = registries.index(plugin.marketplace(), url.get(), plugin.name());
        } catch (UserError e) {
            Optional<RegistryMarketplaces.Indexed> cached = registries.cached(plugin.marketplace(), plugin.name());
            if (cached.isEmpty()) {
                out.note(new Note("registry-unchecked", plugin.id(), null, "yanked versions and advisories not checked: "
                        + PlainText.printable(e.getMessage(), 300)));
                return;
            }
            indexed = cached.get();
        }
        if (indexed.offline()) {
            out.note(new Note("registry-cached", plugin.id(), null, "the registry could not be reached"
                    + (indexed.unreachable() == null ? "" : " (" + PlainText.printable(indexed.unreachable(), 200) + ")")
                    + ": used its index from " + indexed.fetchedAt()));
        }
        RegistryIndex index = indexed.index();
        if (warnedIndexes.add(plugin.id())) {
            for (String ignored : index.ignoredAdvisories()) {
                out.note(new Note("advisory-ignored", plugin.id(), null, "the registry's " + PlainText.printable(ignored, 300)));
            }
        }
        Optional<RegistryIndex.Release> release = index.exactly(plugin.version());
        if (release.isEmpty()) {
            out.note(new Note("version-unknown", plugin.id(), null, "the registry does not list version " + plugin.version()));
            return;
        }
        String update = "move to another version: `cxpm install " + plugin.id() + "` (or `cxpm update " + plugin.name() + "` in a project)";
        if (release.get().yanked()) {
            out.add(Finding.of(Severity.WARNING, "yanked-version", plugin,
                    plugin.id() + " " + plugin.version() + " was yanked from its registry", update));
        }
        if (release.get().deprecated().isPresent() && !release.get().deprecated().get().isBlank()) {
            out.add(Finding.of(Severity.WARNING, "deprecated-version", plugin,
                    plugin.id() + " " + plugin.version() + " is deprecated: " + PlainText.printable(release.get().deprecated().get(), 300), update));
        }
        for (Advisory a : index.advisoriesFor(release.get().version())) {
            Severity s = a.severity() == Advisory.Level.HIGH || a.severity() == Advisory.Level.CRITICAL ? Severity.ERROR : Severity.WARNING;
            out.add(Finding.of(s, "advisory", plugin, plugin.id() + " " + plugin.version() + " is affected by " + a.id() + " ("
                    + a.severity().word() + ", versions " + PlainText.printable(a.range().text(), 200) + "): " + PlainText.printable(a.summary(), 500),
                    update + a.url().map(u -> "; details: " + PlainText.printable(u.toString(), 500)).orElse("")));
        }
    }
}
