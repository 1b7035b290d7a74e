package dev.telltale.packages;

import dev.telltale.scan.FsPath;
import java.util.Objects;
import java.util.Set;

/**
 * What a package's metadata states about one installed file.
 *
 * @param nevra the owning package as name-[epoch:]version-release.arch (dpkg: name:arch-version)
 * @param path the file's path
 * @param mode permission and set-id bits in four octal digits such as {@code 0755}, no type bits
 * @param sizeBytes the size of a regular file; 0 for other types
 * @param digestAlgorithm {@code md5}, {@code sha1}, {@code sha224}, {@code sha256}, {@code sha384}
 *     or {@code sha512}; empty when the file has no content digest
 * @param digestHex the content digest in lower-case hex; empty for non-regular files
 * @param user the owner's user name; empty when the metadata names none (dpkg)
 * @param group the owner's group name; empty when the metadata names none (dpkg)
 * @param mtimeSeconds the modification time in seconds since the epoch; -1 when unknown (dpkg)
 * @param linkTarget the symlink target; empty for other types
 * @param flags file attributes such as config, doc, ghost, missingok, noreplace, license, readme
 */
public record PackageFile(
    String nevra,
    FsPath path,
    String mode,
    long sizeBytes,
    String digestAlgorithm,
    String digestHex,
    String user,
    String group,
    long mtimeSeconds,
    String linkTarget,
    Set<String> flags) {
  public PackageFile {
    Objects.requireNonNull(nevra, "nevra");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(digestAlgorithm, "digestAlgorithm");
    Objects.requireNonNull(digestHex, "digestHex");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(linkTarget, "linkTarget");
    flags = Set.copyOf(flags);
  }
}
