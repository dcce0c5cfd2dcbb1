package dev.cxpm.cli;

import java.nio.file.Path;

/** Where a registry keeps its data when {@code --data} is not given: the user's XDG data directory. */
final class RegistryData {

    private RegistryData() {
    }

    static Path resolve(Env env, String data) {
        if (data != null) {
            return env.resolve(data);
        }
        String xdg = env.var("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(env.var("HOME"), ".local", "share");
        return base.resolve("cxpm").resolve("registry");
    }
}
