package dev.telltale.cli;

import picocli.CommandLine.IVersionProvider;

/** Supplies the version recorded in the jar manifest at build time. */
public final class VersionProvider implements IVersionProvider {
  /** Returns the tool's version, or "development" when run from classes outside a jar. */
  public static String version() {
    String version = Main.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }

  /** Returns the line that {@code telltale --version} prints. */
  static String versionLine() {
    return "telltale " + version();
  }

  @Override
  public String[] getVersion() {
    return new String[] {versionLine()};
  }
}
