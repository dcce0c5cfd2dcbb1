package dev.cxpm.registry.codex;

import dev.cxpm.core.FileText;
import dev.cxpm.registry.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The registry as a Codex marketplace, for a real Codex CLI with no cxpm installed. Codex adds
 * marketplaces from local directories and git URLs only, so the registry keeps a bare git
 * repository ({@code DIR/codex-marketplace.git}) holding {@code .agents/plugins/marketplace.json}
 * and the latest non-yanked version of every plugin under {@link #pluginPath plugins/_XX/NAME}, served read-only
 * over git's "dumb" HTTP protocol: {@code codex plugin marketplace add URL/codex/marketplace.git}.
 *
 * <p>Each change is a new commit written by {@code git fast-import} from the previous one with only the changed
 * plugin's paths ({@link FastImportStream}), so one plugin's change costs that plugin (and the one marketplace.json);
 * main then points at a commit of that tree with no parent and a fixed date ({@link ViewCommits}), the same on every
 * server sharing the database, so a Codex client behind a load balancer gets one view whichever server answers
 * ({@code codex plugin marketplace upgrade} fetches the new snapshot). Commits are written by one background
 * thread; readers never wait for it: they get the last finished view, whose {@code info/refs} is held in memory
 * and replaced only once the new commit's objects are all in place (objects are only ever added). The first git
 * request after start serves the view left on disk and checks it against the database in the background; only a
 * registry that never had a view waits for its first one. A publish or yank returns once the view shows it, so
 * the publisher (not the readers) pays for the change. Needs the {@code git} command.
 */
public final class CodexMarketplace implements AutoCloseable {

    public static final String URL_PATH = "/codex/marketplace.git";

    private static final System.Logger LOG = System.getLogger(CodexMarketplace.class.getName());
    private static final int MAX_REFS_BYTES = 16 << 20;

    private final GitRepository git;
    private final String name;
    private final ExecutorService builder = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "codex-view-builder");
        t.setDaemon(true);
        return t;
    });

    /** The {@code info/refs} of the last finished view; null until there is one. */
    private volatile byte[] refs;
    private volatile RuntimeException lastFailure;

    // guarded by lock: what the builder has to do, and how far it got
    private final Object lock = new Object();
    private final Set<String> pending = new HashSet<>();
    private boolean started;
    private boolean rescan = true;
    private boolean scheduled;
    private long requested;
    private long built;

    /** The builder thread's own. */
    private final ViewCommits commits;

    public CodexMarketplace(Registry registry, Path repo, String name) {
        this.git = new GitRepository(repo);
        this.name = name;
        this.commits = new ViewCommits(registry, git, name);
        registry.onChange(this::changed);
    }

    /**
     * Where a plugin lives in the view: one of 256 buckets ({@code _} and the first two hex digits of the name's
     * SHA-256; a name starts with a letter or digit, so no bucket is a plugin of the older flat layout). git stores and
     * fast-import edits a directory whole, so a flat {@code plugins/} made every commit rewrite (and the first build
     * insert into) one tree of every plugin; a bucket holds about N/256.
     */
    public static String pluginPath(String plugin) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(plugin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "plugins/_" + java.util.HexFormat.of().toHexDigits(hash[0]) + "/" + plugin;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    public String name() {
        return name;
    }

    /**
     * The names a dumb-HTTP clone asks for, each spelt one way, and nothing else of the bare repository: the refs (the
     * view's, never the file on disk a build rewrites), HEAD, the pack list and alternates, packs and their indexes, loose
     * objects (SHA-1 or SHA-256). Checked before any path is made, so no other spelling reaches the file system.
     */
    private static final java.util.regex.Pattern SERVED = java.util.regex.Pattern.compile(
            "info/refs|HEAD|objects/info/(?:packs|alternates|http-alternates)"
                    + "|objects/pack/pack-(?:[0-9a-f]{40}|[0-9a-f]{64})\\.(?:pack|idx)|objects/[0-9a-f]{2}/(?:[0-9a-f]{38}|[0-9a-f]{62})");

    /** A file of the repository to send: its content, streamed (a pack holds every plugin), and its size. */
    public record RepositoryFile(InputStream content, long size) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            content.close();
        }
    }

    /**
     * A file of the bare repository as of the last finished view, or empty; the caller closes it. Only a regular file,
     * looked at through no link before it is opened: a link could lead out of the repository, and a named pipe's open
     * would wait for a writer, forever, holding the request's thread.
     */
    public Optional<RepositoryFile> file(String relative) {
        if (!SERVED.matcher(relative).matches()) {
            return Optional.empty(); // another spelling (info/./refs) or another file of the repository (config, hooks)
        }
        byte[] current = view();
        if (relative.equals("info/refs")) {
            return Optional.of(new RepositoryFile(new java.io.ByteArrayInputStream(current), current.length));
        }
        Path f = git.dir.resolve(relative).normalize();
        if (!f.startsWith(git.dir)) {
            return Optional.empty();
        }
        try {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new RepositoryFile(Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS), a.size()));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty(); // a pack merged away between the look and the open
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The refs file git writes: a line a ref, and the view has a few; a larger one is not this view's. */
    private byte[] readRefs() throws IOException {
        return FileText.bytes(git.dir.resolve("info/refs"), MAX_REFS_BYTES, LinkOption.NOFOLLOW_LINKS);
    }

    /** The current view's refs: the one on disk at first, the first build's when there is none. */
    private byte[] view() {
        long wait;
        synchronized (lock) {
            if (!started) {
                started = true;
                refs = onDisk();
                schedule();
            } else if (lastFailure != null && !scheduled) {
                schedule(); // try again, in the background
            }
            wait = requested;
        }
        if (refs == null) {
            awaitBuilt(wait);
        }
        byte[] r = refs;
        if (r == null) {
            RuntimeException failure = lastFailure;
            throw failure != null ? failure : new IllegalStateException("the Codex marketplace view is not built");
        }
        return r;
    }

    private byte[] onDisk() {
        try {
            if (!Files.isDirectory(git.dir.resolve("objects"))) {
                return null;
            }
            byte[] refs = readRefs(); // none, a link, a pipe or past the bound: no view on disk, built again
            return refs.length > 0 ? refs : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * After a publish or yank (null: any plugin may have changed): once the view is live, the writer's thread returns when
     * the view shows the change; the change feed's thread (another server's change) only asks for it.
     */
    private void changed(String plugin, boolean writer) {
        long wait;
        synchronized (lock) {
            if (plugin == null) {
                rescan = true;
            } else {
                pending.add(plugin);
            }
            if (!started) {
                return; // nobody has asked for the view yet: its first build reads everything
            }
            schedule();
            wait = requested;
        }
        if (writer) {
            awaitBuilt(wait);
        }
    }

    /** Waits until the build that takes what was asked for so far has finished (this is never a reader's wait once a view exists). */
    private void awaitBuilt(long generation) {
        synchronized (lock) {
            while (built < generation && !builder.isShutdown()) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    // guarded by lock
    private void schedule() {
        requested++;
        if (!scheduled) {
            scheduled = true;
            builder.execute(this::buildWhileAsked);
        }
    }

    private void buildWhileAsked() {
        while (true) {
            Set<String> todo;
            boolean all;
            long target;
            synchronized (lock) {
                if (built >= requested) {
                    scheduled = false;
                    return;
                }
                todo = new HashSet<>(pending);
                pending.clear();
                all = rescan;
                rescan = false;
                target = requested;
            }
            try {
                build(all, todo);
                lastFailure = null;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "building the Codex marketplace view failed", e);
                lastFailure = e;
                commits.forget();
                synchronized (lock) {
                    pending.addAll(todo);
                    rescan = true;
                }
            }
            synchronized (lock) {
                built = target;
                lock.notifyAll();
            }
        }
    }

    /** Writes a commit with what changed among {@code names} (among all plugins when {@code all}), then serves it. */
    private void build(boolean all, Set<String> names) {
        try {
            boolean changed = commits.write(all, names);
            if (!changed && refs != null) {
                return;
            }
            git.run("update-server-info");
            refs = readRefs();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        builder.shutdownNow();
        synchronized (lock) {
            lock.notifyAll();
        }
    }
}
