package dev.cxpm.cli;

import dev.cxpm.cli.help.CompletionValues;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.core.UserError;
import dev.cxpm.core.registry.DefaultRegistry;
import dev.cxpm.core.registry.RegistryClient;
import dev.cxpm.core.registry.UserConfig;
import dev.cxpm.core.resolve.MinReleaseAge;
import dev.cxpm.core.toml.TomlStrings;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cxpm config get|set|unset KEY [VALUE]}: cxpm's own settings, in {@code ~/.config/cxpm/config.toml}:
 * {@code registry}, the default registry that {@code install NAME}, {@code publish} and the other client
 * commands use when none is given ({@code $CXPM_REGISTRY} still wins over it), and {@code min-release-age},
 * how old a registry version must be before {@code install} picks it.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Show or change cxpm's settings in ~/.config/cxpm/config.toml.",
                "registry: the default registry (install NAME falls back to it; publish, login and token use it); $CXPM_REGISTRY overrides it.",
                "min-release-age: install skips registry versions published less than this long ago (30m, 12h, 3d, 1w).",
                "policy: the organisation's policy, a file or an https:// URL (README, Policy)."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm config set registry https://plugins.example.test",
                "      Make that the registry install NAME falls back to.",
                "  cxpm config get registry",
                "      Show the default registry.",
                "  cxpm config set min-release-age 3d",
                "      Install only versions published at least three days ago."})
final class ConfigCommand implements Runnable {
    @ParentCommand
    Main root;

    @Parameters(index = "0", paramLabel = "get|set|unset", completionCandidates = CompletionValues.ConfigActions.class)
    String action;

    @Parameters(index = "1", paramLabel = "KEY", completionCandidates = CompletionValues.ConfigKeys.class, description = "The setting: registry, min-release-age or policy.")
    String key;

    @Parameters(index = "2", arity = "0..1", paramLabel = "VALUE", description = "For set: the registry's http(s) URL, a duration such as 3d, or the policy's file or https URL.")
    String value;

    @Override
    public void run() {
        Env env = root.env;
        if (key.equals(UserConfig.MIN_RELEASE_AGE)) {
            minReleaseAge(env);
            return;
        }
        if (key.equals("policy")) {
            policy(env);
            return;
        }
        if (!key.equals("registry")) {
            throw new UserError(UserError.Kind.USAGE, "unknown setting `" + key.replaceAll("\\p{Cntrl}", "?") + "`",
                    "the settings are: registry, min-release-age, policy");
        }
        switch (action) {
            case "get" -> {
                noValue();
                Optional<String> url = DefaultRegistry.configured(env.vars()).map(Object::toString);
                if (url.isEmpty()) {
                    throw new UserError(UserError.Kind.NOT_FOUND, "registry is not set in " + DefaultRegistry.configFile(env.vars()),
                            "cxpm config set registry URL");
                }
                env.out().println(url.get());
            }
            case "set" -> {
                if (value == null) {
                    throw new UserError(UserError.Kind.USAGE, "set needs a value", "e.g. cxpm config set registry https://plugins.example.com");
                }
                var url = RegistryClient.parseUrl(value);
                env.out().println("registry = " + url + " (in " + DefaultRegistry.save(env.vars(), Optional.of(url)) + ")");
            }
            case "unset" -> {
                noValue();
                env.out().println("registry unset (in " + DefaultRegistry.save(env.vars(), Optional.empty()) + ")");
            }
            default -> throw new UserError(UserError.Kind.USAGE, "expected get, set or unset, got `" + action.replaceAll("\\p{Cntrl}", "?") + "`",
                    "e.g. cxpm config set registry https://plugins.example.com");
        }
    }

    private void minReleaseAge(Env env) {
        switch (action) {
            case "get" -> {
                noValue();
                env.out().println(UserConfig.minReleaseAge(env.vars()).orElseThrow(() -> new UserError(UserError.Kind.NOT_FOUND,
                        "min-release-age is not set in " + UserConfig.file(env.vars()), "cxpm config set min-release-age 3d")).text());
            }
            case "set" -> {
                if (value == null) {
                    throw new UserError(UserError.Kind.USAGE, "set needs a value", "e.g. cxpm config set min-release-age 3d");
                }
                MinReleaseAge age = MinReleaseAge.parse(value, "the command line").orElseThrow(() ->
                        new UserError(UserError.Kind.USAGE, MinReleaseAge.problem(value), MinReleaseAge.HINT));
                env.out().println("min-release-age = " + age.text() + " (in "
                        + UserConfig.set(env.vars(), UserConfig.MIN_RELEASE_AGE, Optional.of(TomlStrings.quote(age.text()))) + ")");
            }
            case "unset" -> {
                noValue();
                env.out().println("min-release-age unset (in " + UserConfig.set(env.vars(), UserConfig.MIN_RELEASE_AGE, Optional.empty()) + ")");
            }
            default -> throw new UserError(UserError.Kind.USAGE, "expected get, set or unset, got `" + action.replaceAll("\\p{Cntrl}", "?") + "`",
                    "e.g. cxpm config set min-release-age 3d");
        }
    }

    /** The organisation policy: a file or URL every install, add, sync, update and enable is then held to. */
    private void policy(Env env) {
        switch (action) {
            case "get" -> {
                noValue();
                env.out().println(dev.cxpm.core.policy.Policies.organisationSetting(env.vars()).orElseThrow(() -> new UserError(UserError.Kind.NOT_FOUND,
                        "policy is not set in " + DefaultRegistry.configFile(env.vars()), "cxpm config set policy FILE-OR-URL")));
            }
            case "set" -> {
                if (value == null) {
                    throw new UserError(UserError.Kind.USAGE, "set needs a value", "e.g. cxpm config set policy https://it.example.test/cxpm-policy.toml");
                }
                String v = dev.cxpm.core.policy.Policies.organisationValue(value, env.cwd());
                env.out().println("policy = " + v + " (in " + UserConfig.set(env.vars(), "policy", java.util.Optional.of(TomlStrings.quote(v))) + ")");
            }
            case "unset" -> {
                noValue();
                env.out().println("policy unset (in " + UserConfig.set(env.vars(), "policy", java.util.Optional.empty()) + ")");
            }
            default -> throw new UserError(UserError.Kind.USAGE, "expected get, set or unset, got `" + action.replaceAll("\\p{Cntrl}", "?") + "`",
                    "e.g. cxpm config get policy");
        }
    }

    private void noValue() {
        if (value != null) {
            throw new UserError(UserError.Kind.USAGE, action + " takes no value", "cxpm config " + action + " " + key);
        }
    }
}
