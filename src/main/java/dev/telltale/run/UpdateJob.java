package dev.telltale.run;

import dev.telltale.TelltaleException;
import dev.telltale.baseline.BaselineHeader;
import dev.telltale.baseline.BaselineHeader.PackageRecord;
import dev.telltale.baseline.BaselineReader;
import dev.telltale.baseline.BaselineWriter;
import dev.telltale.compare.Change;
import dev.telltale.compare.Comparison;
import dev.telltale.compare.Merge;
import dev.telltale.compare.PackageChange;
import dev.telltale.crypto.Signer;
import dev.telltale.packages.PackageSet;
import dev.telltale.policy.Policy;
import dev.telltale.policy.Rule;
import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryStream;
import dev.telltale.scan.Scanner;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a new signed baseline that accepts some changes of the live system. The old baseline is
 * verified first and kept under a timestamped name; it is never overwritten in place.
 *
 * <p>An entry that cannot be read now keeps its baseline values: an update never records "could not
 * read" as the new truth.
 */
public final class UpdateJob {
  private UpdateJob() {}

  /**
   * The outcome of an update.
   *
   * @param accepted changes recorded in the new baseline
   * @param acceptedChanges each accepted change as its kind and path, for the person to review
   * @param kept changes left out, because the selection did not name them or refused them
   * @param refusals the changes the selection named but could not accept, each with its reason
   * @param keptPrevious where the previous baseline was kept
   * @param newBaselineSha256 SHA-256 of the new baseline file
   * @param packages the package set that the new baseline records
   */
  public record Result(
      long accepted,
      List<String> acceptedChanges,
      long kept,
      List<String> refusals,
      Path keptPrevious,
      String newBaselineSha256,
      PackageResult packages) {
    public Result {
      acceptedChanges = List.copyOf(acceptedChanges);
      refusals = List.copyOf(refusals);
    }
  }

  /**
   * The package set part of an update: what was read, recorded, accepted and left.
   *
   * @param source the package database read, or null when none was, so the recorded set is kept
   * @param recorded packages in the new baseline
   * @param accepted package changes recorded
   * @param left package changes not recorded, which the next check reports again
   */
  public record PackageResult(String source, long recorded, long accepted, long left) {}

  /**
   * Runs the update. The package set is read as {@code init} reads it; when the old baseline
   * recorded none, the installed set is recorded as is, since that accepts no change. Otherwise
   * only the package changes that the acceptance accepts are applied to the recorded set.
   */
  public static Result run(
      Policy policy,
      Scanner scanner,
      Path rootDirectory,
      Path baselineFile,
      Signer key,
      String toolVersion,
      PackageSource packageSource,
      Acceptance acceptance)
      throws TelltaleException {
    List<String> refusals = new ArrayList<>();
    long accepted = 0;
    List<String> acceptedChanges = new ArrayList<>();
    long kept = 0;
    EntryStream live = CheckJob.startScan(scanner, baselineFile, key.verifyKey());
    try (live;
        BaselineReader reader = BaselineReader.open(baselineFile, key.verifyKey())) {
      BaselineHeader old = reader.header();
      PackageUpdate packageUpdate = updatePackages(old, rootDirectory, packageSource, acceptance);
      BaselineHeader header =
          InitJob.newHeader(policy, rootDirectory, key, toolVersion, packageUpdate.packages());
      Comparison comparison = new Comparison(policy::ruleFor, scanner::prefixDigest);
      Path keptPrevious;
      try (BaselineWriter writer = BaselineWriter.create(baselineFile, header, key);
          EntryStream baseline = reader.entries()) {
        Merge merge = new Merge(baseline, live);
        for (Merge.Pair pair = merge.next(); pair != null; pair = merge.next()) {
          key.throwIfFailed();
          Rule rule = policy.ruleFor(pair.path());
          boolean covered = rule != null && !rule.isExclusion();
          Change change = comparison.compare(pair);
          if (change == null) {
            if (covered) {
              writer.write(pair.live() != null ? pair.live() : pair.baseline());
            }
            continue;
          }
          Entry chosen;
          if (isUnreadableNow(change)) {
            chosen = pair.baseline();
            kept++;
          } else {
            Acceptance.Decision decision = acceptance.judge(change);
            switch (decision) {
              case Acceptance.Decision.Accept a -> {
                chosen = pair.live();
                accepted++;
                acceptedChanges.add(change.kind() + " " + change.path());
              }
              case Acceptance.Decision.Skip s -> {
                chosen = pair.baseline();
                kept++;
              }
              case Acceptance.Decision.Refuse refuse -> {
                chosen = pair.baseline();
                kept++;
                refusals.add(change.path() + ": not accepted: " + refuse.reason());
              }
            }
          }
          if (chosen != null) {
            writer.write(chosen);
          }
        }
        keptPrevious = writer.commitKeepingPrevious(Instant.now());
      }
      refusals.addAll(acceptance.unmet());
      return new Result(
          accepted,
          acceptedChanges,
          kept,
          refusals,
          keptPrevious,
          Digests.sha256Hex(baselineFile),
          packageUpdate.result());
    }
  }

  /** The package set of the new baseline, and what the update did to get it. */
  private record PackageUpdate(List<PackageRecord> packages, PackageResult result) {}

  private static PackageUpdate updatePackages(
      BaselineHeader old, Path rootDirectory, PackageSource source, Acceptance acceptance)
      throws TelltaleException {
    List<PackageRecord> recorded = old.packages();
    PackageSet installed =
        recorded.isEmpty()
            ? PackageSet.forBaseline(rootDirectory, source.rpmdbOrNull(), source.keyrings())
            : PackageSet.forCheck(rootDirectory, source.rpmdbOrNull(), source.keyrings(), recorded);
    if (installed == null) {
      return new PackageUpdate(recorded, new PackageResult(null, recorded.size(), 0, 0));
    }
    if (recorded.isEmpty()) {
      List<PackageRecord> all = installed.packages();
      return new PackageUpdate(all, new PackageResult(installed.source(), all.size(), 0, 0));
    }
    List<PackageChange> accepted = new ArrayList<>();
    long left = 0;
    for (PackageChange change : PackageChange.between(recorded, installed.packages())) {
      if (acceptance.acceptsPackage(change)) {
        accepted.add(change);
      } else {
        left++;
      }
    }
    List<PackageRecord> packages = PackageChange.apply(recorded, accepted);
    return new PackageUpdate(
        packages, new PackageResult(installed.source(), packages.size(), accepted.size(), left));
  }

  /** Returns true for a change whose live side could not be read, which is never accepted. */
  private static boolean isUnreadableNow(Change change) {
    return change instanceof Change.Unreadable unreadable && unreadable.after().hasError();
  }
}
