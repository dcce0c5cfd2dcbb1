package dev.cxpm.core.lock;

import java.util.Optional;

/**
 * Where a locked plugin's bytes come from, written as one string in the lockfile (as Cargo.lock does):
 * <ul>
 * <li>{@code path+./plugins/github}: a directory inside a local marketplace</li>
 * <li>{@code git+https://host/repo.git?path=plugins/x#<commit>}: a git commit, optionally a subdirectory</li>
 * <li>{@code npm+@scope/pkg@1.2.3}: an npm package version</li>
 * <li>{@code registry+https://registry.example/…}: a cxpm registry's blob URL</li>
 * </ul>
 */
public sealed interface ResolvedSource {
    // Each record spells out equals and hashCode: a record's generated ones are bootstrapped through ObjectMethods on
    // first use, several ms of method handles spun on a fresh JVM, and sync compares every locked source with its
    // marketplace's (ColdPathTest).

    /** A git commit as cxpm.lock pins it: 40 (SHA-1) or 64 (SHA-256) lower-case hex digits, checked by hand. */
    static boolean isCommit(String text) {
        return LowerHex.is(text, 40) || LowerHex.is(text, 64);
    }

    record LocalPath(String path) implements ResolvedSource {
        @Override
        public boolean equals(Object o) {
            return o instanceof LocalPath l && l.path.equals(path);
        }

        @Override
        public int hashCode() {
            return path.hashCode();
        }

        @Override
        public String toString() {
            return "path+" + path;
        }
    }

    record GitCommit(String url, Optional<String> subdir, String commit) implements ResolvedSource {
        @Override
        public boolean equals(Object o) {
            return o instanceof GitCommit g && g.url.equals(url) && g.subdir.equals(subdir) && g.commit.equals(commit);
        }

        @Override
        public int hashCode() {
            return (url.hashCode() * 31 + subdir.hashCode()) * 31 + commit.hashCode();
        }

        @Override
        public String toString() {
            return "git+" + url + subdir.map(s -> "?path=" + s).orElse("") + "#" + commit;
        }
    }

    record Npm(String packageName, String version) implements ResolvedSource {
        @Override
        public boolean equals(Object o) {
            return o instanceof Npm n && n.packageName.equals(packageName) && n.version.equals(version);
        }

        @Override
        public int hashCode() {
            return packageName.hashCode() * 31 + version.hashCode();
        }

        @Override
        public String toString() {
            return "npm+" + packageName + "@" + version;
        }
    }

    record Registry(String url) implements ResolvedSource {
        @Override
        public boolean equals(Object o) {
            return o instanceof Registry r && r.url.equals(url);
        }

        @Override
        public int hashCode() {
            return url.hashCode();
        }

        @Override
        public String toString() {
            return "registry+" + url;
        }
    }

    /** The source, or empty when the text is none of the forms above. */
    static Optional<ResolvedSource> parse(String text) {
        int plus = text.indexOf('+');
        if (plus < 0) {
            return Optional.empty();
        }
        String rest = text.substring(plus + 1);
        if (rest.isBlank() || hasControl(rest)) {
            return Optional.empty();
        }
        return switch (text.substring(0, plus)) {
            case "path" -> rest.startsWith("./") && !rest.contains("..") ? Optional.of(new LocalPath(rest)) : Optional.empty();
            case "git" -> {
                int hash = rest.lastIndexOf('#');
                if (hash < 0 || !isCommit(rest.substring(hash + 1))) {
                    yield Optional.empty();
                }
                String url = rest.substring(0, hash);
                Optional<String> sub = Optional.empty();
                int q = url.indexOf("?path=");
                if (q >= 0) {
                    sub = Optional.of(url.substring(q + "?path=".length()));
                    url = url.substring(0, q);
                }
                yield url.isEmpty() ? Optional.empty() : Optional.of(new GitCommit(url, sub, rest.substring(hash + 1)));
            }
            case "npm" -> {
                int at = rest.lastIndexOf('@');
                yield at <= 0 || at == rest.length() - 1 ? Optional.empty()
                        : Optional.of(new Npm(rest.substring(0, at), rest.substring(at + 1)));
            }
            case "registry" -> rest.startsWith("https://") || rest.startsWith("http://")
                    ? Optional.of(new Registry(rest)) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20) {
                return true;
            }
        }
        return false;
    }
}
