package dev.telltale.run;

import dev.telltale.TelltaleException;
import dev.telltale.baseline.BaselineHeader;
import dev.telltale.baseline.BaselineWriter;
import dev.telltale.crypto.SigningKey;
import dev.telltale.packages.PackageSet;
import dev.telltale.policy.Policy;
import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryStream;
import dev.telltale.scan.FsPath;
import dev.telltale.scan.Scanner;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Scans the system under a policy and writes a signed baseline of it. */
public final class InitJob {
  private InitJob() {}

  /**
   * The outcome of an init.
   *
   * @param entries entries recorded
   * @param unreadable entries recorded with an error
   * @param keptPrevious where a replaced baseline was kept, or null
   * @param packages the package set recorded, or null when none was
   */
  public record Result(long entries, long unreadable, Path keptPrevious, PackageSet packages) {}

  /**
   * Scans and writes the baseline atomically: an interrupted init leaves no file that looks valid.
   *
   * <p>The installed package set is recorded too: an rpmdb's headers when {@code packages} names
   * keyrings, dpkg's packages when the root has dpkg and no rpmdb.
   *
   * @param replace whether an existing baseline may be replaced; the old one is then kept under a
   *     timestamped name
   */
  public static Result run(
      Policy policy,
      Scanner scanner,
      Path rootDirectory,
      Path baselineFile,
      SigningKey key,
      String toolVersion,
      PackageSource packages,
      boolean replace)
      throws TelltaleException {
    PackageSet installed =
        PackageSet.forBaseline(rootDirectory, packages.rpmdbOrNull(), packages.keyrings());
    BaselineHeader header =
        newHeader(
            policy,
            rootDirectory,
            key,
            toolVersion,
            installed == null ? List.of() : installed.packages());
    long entries = 0;
    long unreadable = 0;
    try (BaselineWriter writer = BaselineWriter.create(baselineFile, header, key);
        EntryStream scan = scanner.scan()) {
      for (Entry entry = scan.next(); entry != null; entry = scan.next()) {
        writer.write(entry);
        entries++;
        if (entry.hasError()) {
          unreadable++;
        }
      }
      Path kept = replace ? writer.commitKeepingPrevious(Instant.now()) : commitNew(writer);
      return new Result(entries, unreadable, kept, installed);
    }
  }

  private static Path commitNew(BaselineWriter writer) throws TelltaleException {
    writer.commit();
    return null;
  }

  /** Returns the header of a baseline made now, on this host, of the given root. */
  static BaselineHeader newHeader(
      Policy policy,
      Path rootDirectory,
      SigningKey key,
      String toolVersion,
      List<BaselineHeader.PackageRecord> packages) {
    return new BaselineHeader(
        BaselineHeader.CURRENT_VERSION,
        Instant.now(),
        HostName.current(),
        FsPath.of(rootDirectory.toAbsolutePath().normalize().toString()),
        policy.digestSha256(),
        toolVersion,
        key.verifyKey().fingerprint(),
        packages);
  }
}
