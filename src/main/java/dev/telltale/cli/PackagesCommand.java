package dev.telltale.cli;

import picocli.CommandLine.Command;

/** {@code telltale packages}: checks against package-manager metadata. */
@Command(
    name = "packages",
    description = "Verify installed files against vendor-signed package metadata.",
    mixinStandardHelpOptions = true,
    subcommands = {PackagesVerifyCommand.class})
public final class PackagesCommand {}
