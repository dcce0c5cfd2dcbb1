package dev.cxpm.core.policy;

/** Where a rule was written: a policy file (a path or the URL it came from) and its line, 0 when unknown. */
public record Where(String file, int line) {
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file;
    }
}
