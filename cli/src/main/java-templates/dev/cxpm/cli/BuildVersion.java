package dev.cxpm.cli;

/**
 * The version this build is, filled in by Maven (cli/pom.xml copies this template with filtering into generated
 * sources): a constant, so {@code cxpm --version} reads no resource (looking one up searched the JDK's modules image
 * and opened the jar through a URL connection, a third of a cold {@code --version}).
 */
final class BuildVersion {
    static final String VERSION = "${project.version}";

    private BuildVersion() {
    }
}
