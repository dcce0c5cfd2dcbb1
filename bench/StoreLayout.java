import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * What the store's layout costs the file system, without cxpm: N plugins shaped like bench/sync-gen's (plugin.json,
 * .mcp.json, skills/NAME-skill/SKILL.md) kept in a store and placed into a home by hard links, the store laid out
 * one of two ways:
 *   tree  (cxpm today): per version, a temp directory with files/ and the plugin's directories, its files, the index,
 *         renamed to sha512/HEX.tree; 5 directories + 4 files (+ the archive) per version;
 *   cas   (content-addressed): 256 bucket directories made once, each file written to a temp name in its bucket and
 *         renamed to its sha512, the index written to a temp name and renamed to sha512/HEX.index; 4 files (+ the archive);
 *   flat  as cas, every file in one directory (no buckets).
 * Both write the archive (temp + rename) and place alike (plugin dir, version dir, 3 directories, 3 links).
 * Prints the loop's wall and CPU time (the working thread's) in ms. Usage: java bench/StoreLayout.java tree|cas|flat DIR N,
 * or java bench/StoreLayout.java ab DIR N ROUNDS [tree,cas,...] (the layouts alternated in one JVM).
 */
public class StoreLayout {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("ab")) {
            alternate(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), args.length > 4 ? args[4].split(",") : new String[] {"tree", "cas"});
            return;
        }
        long[] r = run(args[0], Path.of(args[1]), Integer.parseInt(args[2]));
        System.out.println(args[0] + " " + args[2] + " wall=" + r[0] + " cpu=" + r[1]);
    }

    /**
     * The layouts one after the other in this JVM, rounds times (after two rounds not counted: the JIT's), each into a new
     * directory under dir, the previous one moved to /tmp/trash; prints each run with the thread's own CPU time (user +
     * system of the thread that does the work: the JIT's and the collector's threads are not in it).
     */
    static void alternate(Path dir, int n, int rounds, String[] modes) throws Exception {
        Files.createDirectories(Path.of("/tmp/trash"));
        for (int r = -2; r < rounds; r++) {
            for (String m : modes) {
                Path d = dir.resolve(m + "-" + n);
                if (Files.exists(d)) {
                    Files.move(d, Path.of("/tmp/trash").resolve("layout-" + System.nanoTime()));
                }
                long[] t = run(m, d, n);
                if (r >= 0) {
                    System.out.println(m + " " + n + " wall=" + t[0] + " cpu=" + t[1]);
                }
            }
        }
    }

    static long[] run(String mode, Path root, int n) throws Exception {
        Path sha = root.resolve("store/sha512");
        Path buckets = root.resolve("store/files");
        Path home = root.resolve("home/plugins");
        Files.createDirectories(sha);
        Files.createDirectories(home);
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        boolean flat = mode.equals("flat");
        if (flat) {
            Files.createDirectories(buckets);
        } else if (mode.equals("cas")) {
            for (int b = 0; b < 256; b++) {
                Files.createDirectories(buckets.resolve(String.format("%02x", b)));
            }
        }
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < n; i++) {
            String name = "plugin-" + i;
            byte[][] content = {
                ("{\"name\": \"" + name + "\", \"version\": \"1." + i + ".0\"}\n").getBytes(),
                ("{\"mcpServers\": {\"" + name + "\": {\"command\": \"npx\"}}}\n").getBytes(),
                ("---\nname: " + name + "-skill\n---\n" + "x".repeat(2000) + "\n").getBytes()};
            String[] rel = {".codex-plugin/plugin.json", ".mcp.json", "skills/" + name + "-skill/SKILL.md"};
            String h = hex.formatHex(MessageDigest.getInstance("SHA-512").digest(name.getBytes()));
            Path blob = sha.resolve(".blob" + i + ".tgz");
            Files.write(blob, content[2], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(blob, sha.resolve(h + ".tgz"), StandardCopyOption.ATOMIC_MOVE);
            Path[] from = new Path[3];
            if (mode.equals("tree")) {
                Path tmp = Files.createDirectory(sha.resolve(".tree-" + i));
                Path files = Files.createDirectory(tmp.resolve("files"));
                Files.createDirectory(files.resolve(".codex-plugin"));
                Files.createDirectory(files.resolve("skills"));
                Files.createDirectory(files.resolve("skills/" + name + "-skill"));
                for (int k = 0; k < 3; k++) {
                    Files.write(files.resolve(rel[k]), content[k], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                }
                Files.writeString(tmp.resolve("index"), "cxpm-tree 1\n" + String.join("\n", rel) + "\n");
                Path tree = sha.resolve(h + ".tree");
                Files.move(tmp, tree, StandardCopyOption.ATOMIC_MOVE);
                for (int k = 0; k < 3; k++) {
                    from[k] = tree.resolve("files").resolve(rel[k]);
                }
            } else {
                StringBuilder index = new StringBuilder("cxpm-tree 2\n");
                for (int k = 0; k < 3; k++) {
                    String c = hex.formatHex(MessageDigest.getInstance("SHA-512").digest(content[k]));
                    Path bucket = flat ? buckets : buckets.resolve(c.substring(0, 2));
                    Path tmp = bucket.resolve(".tmp-" + i + "-" + k);
                    Files.write(tmp, content[k], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    from[k] = bucket.resolve(flat ? c : c.substring(2));
                    Files.move(tmp, from[k], StandardCopyOption.ATOMIC_MOVE);
                    index.append(c).append(' ').append(rel[k]).append('\n');
                }
                Path tmp = sha.resolve(".index-" + i);
                Files.writeString(tmp, index);
                Files.move(tmp, sha.resolve(h + ".index"), StandardCopyOption.ATOMIC_MOVE);
            }
            Path version = Files.createDirectory(Files.createDirectory(home.resolve(name)).resolve("1." + i + ".0"));
            Files.createDirectory(version.resolve(".codex-plugin"));
            Files.createDirectory(version.resolve("skills"));
            Files.createDirectory(version.resolve("skills/" + name + "-skill"));
            for (int k = 0; k < 3; k++) {
                Files.createLink(version.resolve(rel[k]), from[k]);
            }
        }
        return new long[] {(System.nanoTime() - t0) / 1_000_000, (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000};
    }
}
