package dev.telltale.run;

import dev.telltale.TelltaleException;
import dev.telltale.baseline.BaselineHeader;
import dev.telltale.baseline.BaselineWriter;
import dev.telltale.crypto.Signer;
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
   * keyrings, dpkg's packages when the root has dpkg and no rpmdb. The scan starts first and runs
   * ahead while the package set is read, and the key may still be unlocking: it is needed only to
   * sign, and a wrong passphrase stops the job as soon as it is known.
   *
   * @param replace whether an existing baseline may be replaced; the old one is then kept under a
   *     timestamped name
   */
  public static Result run(
      Policy policy,
      Scanner scanner,
      Path rootDirectory,
      Path baselineFile,
      Signer key,
      String toolVersion,
      PackageSource packages,
      boolean replace)
      throws TelltaleException {
    try (EntryStream scan = scanner.scan()) {
      PackageSet installed =
          PackageSet.forBaseline(rootDirectory, packages.rpmdbOrNull(), packages.keyrings());
      key.throwIfFailed();
      BaselineHeader header =
          newHeader(
              policy,
              rootDirectory,
              key,
              toolVersion,
              installed == null ? List.of() : installed.packages());
      return write(scan, BaselineWriter.create(baselineFile, header, key), key, replace, installed);
    }
  }

  /** Writes the scan to the baseline, checking on the key as it goes, and commits. */
  private static Result write(
      EntryStream scan, BaselineWriter baseline, Signer key, boolean replace, PackageSet installed)
      throws TelltaleException {
    long entries = 0;
    long unreadable = 0;
    try (BaselineWriter writer = baseline) {
      for (Entry entry = scan.next(); entry != null; entry = scan.next()) {
        key.throwIfFailed();
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
      Signer key,
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
