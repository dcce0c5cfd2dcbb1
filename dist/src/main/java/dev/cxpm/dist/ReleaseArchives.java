package dev.cxpm.dist;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds the release archives from what {@code cli} packaged: {@code cxpm-VERSION.tar.gz} (the launcher as
 * {@code bin/cxpm}, {@code cxpm.jar}, {@code lib/}, the man pages; needs a Java runtime 21+) and
 * {@code cxpm-VERSION-linux-x64.tar.gz} (the same plus a jlink-made {@code runtime/}), each with a
 * {@code sha512sum}-format file beside it.
 *
 * <p>Same inputs, same bytes: entries sorted by name, every time the build's timestamp, owner root (0/0), modes
 * 0755 or 0644 from the owner's execute bit only (not the umask), and a gzip header with no time or name (the JDK
 * writes zeros); and a jlink run whose output does not depend on the order its plugins run in ({@link #jlink}).
 * ReproducibleReleaseTest and bench/release-reproducible.sh check it.
 *
 * <p>Usage: {@code ReleaseArchives VERSION OUTPUT_TIMESTAMP CLI_TARGET LAUNCHER OUT_DIR}.
 */
public final class ReleaseArchives {

    /**
     * The JDK modules cxpm needs: what {@code jdeps --print-module-deps} finds over cxpm.jar and lib/ (the test checks
     * that it finds nothing else), plus what is only loaded as a service or by reflection: jdk.crypto.ec (TLS with EC
     * keys on JDK 21), jdk.charsets (file names in a legacy locale's charset), jdk.unsupported (sun.misc.Unsafe).
     */
    static final List<String> MODULES = List.of("java.base", "java.desktop", "java.logging", "java.management", "java.naming",
            "java.net.http", "java.security.jgss", "java.sql", "java.transaction.xa", "java.xml", "jdk.httpserver", "jdk.net",
            "jdk.crypto.ec", "jdk.charsets", "jdk.unsupported");

    private final String version;
    private final Instant time;

    ReleaseArchives(String version, Instant time) {
        if (!version.matches("[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?")) {
            throw new IllegalArgumentException("not a release version: " + version);
        }
        this.version = version;
        this.time = time;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: ReleaseArchives VERSION OUTPUT_TIMESTAMP CLI_TARGET LAUNCHER OUT_DIR");
        }
        ReleaseArchives release = new ReleaseArchives(args[0], Instant.parse(args[1]));
        for (Path archive : release.build(Path.of(args[2]), Path.of(args[3]), Path.of(args[4]))) {
            System.out.println("release: " + archive + " (" + Files.size(archive) / 1024 + " KiB, sha512 in " + archive.getFileName() + ".sha512)");
        }
    }

    static String platform() {
        String arch = System.getProperty("os.arch");
        return "linux-" + switch (arch) {
            case "amd64", "x86_64" -> "x64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
    }

    String portableName() {
        return "cxpm-" + version + ".tar.gz";
    }

    String selfContainedName() {
        return "cxpm-" + version + "-" + platform() + ".tar.gz";
    }

    /** Writes both archives and their .sha512 files into {@code out}; returns the archives. */
    List<Path> build(Path cliTarget, Path launcher, Path out) throws IOException {
        Files.createDirectories(out);
        Map<String, Path> files = new TreeMap<>();
        files.put("bin/cxpm", launcher);
        files.put("cxpm.jar", cliTarget.resolve("cxpm.jar"));
        addTree(files, "lib", cliTarget.resolve("lib"));
        Path man = cliTarget.resolve("man/man1");
        if (Files.isDirectory(man)) {
            addTree(files, "share/man/man1", man);
        }
        Path portable = write(out.resolve(portableName()), files);

        Path runtime = out.resolve("runtime");
        jlink(runtime);
        addTree(files, "runtime", runtime);
        Path selfContained = write(out.resolve(selfContainedName()), files);
        return List.of(portable, selfContained);
    }

    /**
     * A runtime with only {@link #MODULES} (those this JDK has), and the class-data archive the launcher's own builds on.
     *
     * <p>No {@code --strip-debug}: jlink runs the plugins of one category in the order of a HashMap keyed by plugin
     * objects (TaskHelper.PluginsHelper.pluginToMaps), that is of their identity hash codes, which differ with the
     * JVM's history; strip-debug and generate-jli-classes are both transformers, and when strip-debug ran first the 12
     * classes generate-jli-classes writes (java/lang/invoke/*$Holder, BoundMethodHandle$Species_*) kept their
     * SourceFile attribute, changing lib/modules and the class-data archives dumped from it. Without it the order no
     * longer matters (the other transformers touch disjoint entries), the JDK's pre-generated invokers stay (start-up),
     * stack traces keep line numbers, and the archive is 6 MiB larger (67 to 73 MiB).
     */
    static void jlink(Path runtime) throws IOException {
        deleteTree(runtime);
        List<String> modules = MODULES.stream().filter(m -> ModuleFinder.ofSystem().find(m).isPresent()).toList();
        ToolProvider jlink = ToolProvider.findFirst("jlink")
                .orElseThrow(() -> new IllegalStateException("no jlink: build the release on a JDK, not a JRE"));
        int code = jlink.run(System.out, System.err, "--add-modules", String.join(",", modules), "--no-header-files",
                "--no-man-pages", "--compress=zip-6", "--generate-cds-archive", "--output", runtime.toString());
        if (code != 0) {
            throw new IllegalStateException("jlink failed with exit code " + code);
        }
    }

    private static void addTree(Map<String, Path> files, String prefix, Path dir) throws IOException {
        Path real = dir.toRealPath();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                // jlink links legal/MODULE/LICENSE to java.base's: archived as a copy, so that tar never makes a link
                if (Files.isSymbolicLink(p) && !p.toRealPath().startsWith(real)) {
                    throw new IllegalStateException("a link out of the release's input: " + p);
                }
                if (Files.isRegularFile(p)) {
                    files.put(prefix + "/" + dir.relativize(p).toString().replace('\\', '/'), p);
                }
            }
        }
    }

    /** The archive (written beside, then moved into place) and its {@code .sha512}: {@code HEX  NAME}, as sha512sum writes it. */
    private Path write(Path archive, Map<String, Path> files) throws IOException {
        String top = "cxpm-" + version + "/";
        List<String> names = new ArrayList<>();
        for (String name : files.keySet()) {
            for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
                names.add(name.substring(0, slash + 1));
            }
            names.add(name);
        }
        List<String> sorted = names.stream().distinct().sorted(Comparator.naturalOrder()).toList();
        Path tmp = archive.resolveSibling(archive.getFileName() + ".tmp");
        try (OutputStream file = Files.newOutputStream(tmp);
             GZIPOutputStream gzip = new Gzip(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.putArchiveEntry(entry(top, 0755, 0));
            tar.closeArchiveEntry();
            for (String name : sorted) {
                if (name.endsWith("/")) {
                    tar.putArchiveEntry(entry(top + name, 0755, 0));
                    tar.closeArchiveEntry();
                    continue;
                }
                Path source = files.get(name);
                boolean executable = Files.getPosixFilePermissions(source).contains(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
                tar.putArchiveEntry(entry(top + name, executable ? 0755 : 0644, Files.size(source)));
                try (InputStream in = Files.newInputStream(source)) {
                    in.transferTo(tar);
                }
                tar.closeArchiveEntry();
            }
        }
        Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Path sum = archive.resolveSibling(archive.getFileName() + ".sha512");
        Files.writeString(sum, sha512(archive) + "  " + archive.getFileName() + "\n");
        return archive;
    }

    private TarArchiveEntry entry(String name, int mode, long size) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setMode((name.endsWith("/") ? TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 : TarArchiveEntry.DEFAULT_FILE_MODE & ~0777) | mode);
        e.setSize(size);
        e.setModTime(java.nio.file.attribute.FileTime.from(time));
        e.setIds(0, 0);
        e.setNames("root", "root");
        return e;
    }

    static String sha512(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** gzip at zlib's default level: level 9 took several times as long for about 2% less. */
    private static final class Gzip extends GZIPOutputStream {
        Gzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.DEFAULT_COMPRESSION);
        }
    }
}
