package dev.cxpm.registry.publish;

import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.RegistryDatabase.StoredPage;
import dev.cxpm.registry.storage.RegistryDatabase.VersionRow;
import dev.cxpm.registry.storage.blob.BlobStore;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each version's page data ({@link PageData}, icon), computed from its archive at publish and stored with the
 * version: serving a page reads one row and opens no archive. A version published before pages were stored has
 * its page computed from its blob the first time it is asked for, by one request while others for the same
 * version wait for it (no lock shared between versions), and stored then. The README is rendered to HTML once, when
 * the page is stored ({@link Markdown}); a version stored without its rendering (before it was stored, imported, or
 * rendered by an older renderer) renders it on its first page request and stores it.
 */
public final class VersionPages {

    private static final System.Logger LOG = System.getLogger(VersionPages.class.getName());

    /** A version's page as a page request reads it; {@code readmeHtml} is null when there is no README. */
    public record Shown(PageData data, String iconType, String readmeHtml) {
    }

    private final RegistryDatabase db;
    private final BlobStore blobs;
    private final ConcurrentHashMap<String, CompletableFuture<Optional<Shown>>> computing = new ConcurrentHashMap<>();

    public VersionPages(RegistryDatabase db, BlobStore blobs) {
        this.db = db;
        this.blobs = blobs;
    }

    /** At publish, from the uploaded archive; a failure leaves the page to be computed when first asked for. */
    void record(PublishedPlugin plugin, Path tgz) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tgz), 64 * 1024)) {
            store(plugin.name(), plugin.version(), PageExtract.of(plugin, in));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "page of " + plugin.name() + "@" + plugin.version() + " not stored: " + e.getMessage());
        }
    }

    public Optional<Shown> page(VersionRow v) {
        Optional<StoredPage> stored = db.page(v.plugin(), v.version());
        if (stored.isPresent()) {
            PageData data = PageData.fromJson(stored.get().json());
            return Optional.of(new Shown(data, stored.get().iconType(), Markdown.fromStore(stored.get().readmeHtml())
                    .orElseGet(() -> renderedAgain(v, data))));
        }
        String key = v.plugin() + "@" + v.version();
        CompletableFuture<Optional<Shown>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<Shown>> running = computing.putIfAbsent(key, mine);
        if (running != null) {
            return running.join();
        }
        try {
            Optional<Shown> shown = fromBlob(v);
            mine.complete(shown);
            return shown;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            computing.remove(key);
        }
    }

    private Optional<Shown> fromBlob(VersionRow v) {
        try {
            PublishedPlugin plugin;
            Optional<InputStream> first = blobs.open(v.integrity());
            if (first.isEmpty()) {
                return Optional.empty();
            }
            try (InputStream in = new BufferedInputStream(first.get(), 64 * 1024)) {
                plugin = PublishedPlugin.check(PluginArchive.read(in, v.size())).plugin();
            }
            if (plugin == null) {
                return Optional.empty();
            }
            Optional<InputStream> second = blobs.open(v.integrity());
            if (second.isEmpty()) {
                return Optional.empty();
            }
            PageExtract.Page page;
            try (InputStream in = new BufferedInputStream(second.get(), 64 * 1024)) {
                page = PageExtract.of(plugin, in);
            }
            String html = store(v.plugin(), v.version(), page);
            return Optional.of(new Shown(page.data(), page.iconType(), Markdown.fromStore(html).orElse(null)));
        } catch (IOException | RuntimeException e) {
            // a blob store that fails (S3 down) or an unreadable blob: the page shows what the rows hold
            LOG.log(System.Logger.Level.WARNING, "page of " + v.plugin() + "@" + v.version() + " not readable from its blob: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Stores the page with its README rendered; returns the rendering as stored (null: no README). */
    private String store(String plugin, String version, PageExtract.Page page) {
        String html = rendered(page.data());
        try {
            db.setPage(plugin, version, page.data().toJson(), page.icon(), page.iconType(), html);
        } catch (UncheckedIOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, "page of " + plugin + "@" + version + " not stored: " + e.getMessage());
        }
        return html;
    }

    private static String rendered(PageData data) {
        return data.readme() == null || data.readme().isBlank() ? null : Markdown.stored(data.readme());
    }

    /** Once per version stored without this renderer's HTML (racing requests store the same rendering). */
    private String renderedAgain(VersionRow v, PageData data) {
        String html = rendered(data);
        if (html != null) {
            try {
                db.setReadmeHtml(v.plugin(), v.version(), html);
            } catch (UncheckedIOException | IllegalStateException e) {
                LOG.log(System.Logger.Level.WARNING, "rendered README of " + v.plugin() + "@" + v.version() + " not stored: " + e.getMessage());
            }
        }
        return Markdown.fromStore(html).orElse(null);
    }
}
