package dev.cxpm.core.policy;

import dev.cxpm.core.install.PluginGate;
import dev.cxpm.core.marketplace.MarketplaceSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * cxpm's policy and Codex's requirements.toml applied together, as one gate: every refusal of both is collected and
 * reported at once (exit 8), before anything is written.
 */
public final class Enforcement implements PluginGate {

    private final Policy policy;
    private final List<CodexRequirements> codex;

    public Enforcement(Policy policy, List<CodexRequirements> codex) {
        this.policy = policy;
        this.codex = codex;
    }

    /** The policy files in force for a command (projectDir: where cxpm.toml is, if it works on a project) and Codex's requirements. */
    public static Enforcement load(java.util.Map<String, String> vars, Optional<java.nio.file.Path> projectDir) {
        Policy policy = Policies.load(vars, projectDir);
        return new Enforcement(policy, CodexRequirements.filesFor(vars).stream().flatMap(f -> CodexRequirements.read(f).stream()).toList());
    }

    public Policy policy() {
        return policy;
    }

    /** Codex's requirements files that exist here. */
    public List<CodexRequirements> codex() {
        return codex;
    }

    /** Why Codex's requirements refuse this source, each file that does. */
    public List<Violation> codexRefusals(MarketplaceOrigin origin) {
        if (codex.isEmpty()) {
            return List.of(); // the common case, asked once per plugin of a sync: no stream set up for nothing
        }
        return codex.stream().flatMap(c -> c.refusal(origin).stream()).toList();
    }

    /** Refuses a marketplace source before it is added (cloned, written to config.toml). */
    public void marketplace(MarketplaceSource source) {
        MarketplaceOrigin origin = MarketplaceOrigin.of(source);
        List<Violation> all = new ArrayList<>(policy.marketplace("", origin).violations());
        all.addAll(codexRefusals(origin));
        Policy.enforce(all);
    }

    @Override
    public void check(List<Candidate> candidates) {
        List<Violation> all = new ArrayList<>();
        // a sync's candidates share their marketplace's entry and registry (the same objects): its origin is made once
        // for a run of them, not once per plugin (a path made absolute and normal each time)
        Candidate last = null;
        Optional<MarketplaceOrigin> lastOrigin = Optional.empty();
        for (Candidate c : candidates) {
            Optional<MarketplaceOrigin> origin = last != null && c.entry() == last.entry() && c.registry() == last.registry()
                    ? lastOrigin : c.entry().map(e -> MarketplaceOrigin.of(e, c.registry()));
            last = c;
            lastOrigin = origin;
            all.addAll(policy.plugin(subject(c, origin)).violations());
            if (origin.isPresent()) {
                codexRefusals(origin.get()).forEach(v -> all.add(new Violation(c.plugin() + "@" + c.marketplace(), v.rule(), v.where(),
                        v.reason() + " (Codex hides this marketplace's plugins)")));
            }
        }
        Policy.enforce(all);
    }

    static Policy.PluginSubject subject(Candidate c, Optional<MarketplaceOrigin> origin) {
        return new Policy.PluginSubject(c.plugin(), c.marketplace(), origin, c.version(), c.content());
    }
}
