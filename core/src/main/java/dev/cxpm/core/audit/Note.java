package dev.cxpm.core.audit;

import dev.cxpm.core.PlainText;

/**
 * What an audit could not look at and why (a file over the size cap, a registry that did not answer, an advisory
 * the registry published malformed): never a finding, so it never fails the audit, but shown so that a clean
 * report is not read as "everything was checked". plugin and file may be null.
 */
public record Note(String code, String plugin, String file, String message) {

    public Note {
        file = file == null ? null : PlainText.printable(file, 300);
        message = PlainText.printable(message, 1000);
    }
}
