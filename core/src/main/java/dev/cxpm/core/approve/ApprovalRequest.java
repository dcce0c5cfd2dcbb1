package dev.cxpm.core.approve;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A plugin whose run surface is not approved: what it runs now, and what was approved before when that is known
 * (then the change is shown as a diff), or only the approved hash when the surface behind it is not at hand.
 */
public record ApprovalRequest(String pluginId, RunSurface now, Optional<RunSurface> before, Optional<RunHash> approvedHash) {

    public RunHash hash() {
        return now.hash();
    }

    public Optional<RunSurfaceDiff> diff() {
        return before.map(b -> RunSurfaceDiff.between(b, now));
    }

    /** What a person reads before answering, or in the error when nobody can answer: the diff, else all that runs. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        if (diff().isPresent()) {
            out.add(pluginId + " changes what it runs (" + hash() + ", approved was " + before.get().hash() + "):");
            diff().get().lines().forEach(l -> out.add("  " + l));
        } else {
            out.add(pluginId + " runs, not approved yet (" + hash() + "):");
            now.entries().forEach(e -> out.add("  + " + e));
            approvedHash.ifPresent(h -> out.add("  (approved was " + h + ", whose content is not at hand to compare)"));
        }
        return out;
    }
}
