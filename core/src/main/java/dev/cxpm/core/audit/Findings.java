package dev.cxpm.core.audit;

import java.util.ArrayList;
import java.util.List;

/** Where checks put what they find; not thread-safe (one audit runs its checks in turn). */
public final class Findings {
    private final List<Finding> findings = new ArrayList<>();
    private final List<Note> notes = new ArrayList<>();

    public void add(Finding f) {
        findings.add(f);
    }

    public void note(Note n) {
        notes.add(n);
    }

    List<Finding> findings() {
        return findings;
    }

    List<Note> notes() {
        return notes;
    }
}
