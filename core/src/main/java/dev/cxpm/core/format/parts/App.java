package dev.cxpm.core.format.parts;

import java.util.Optional;

/** An app connector from {@code .app.json}: its key and its {@code id} ({@code asdk_app_…}). */
public record App(String key, Optional<String> id) {
}
