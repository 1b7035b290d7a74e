package dev.telltale.run;

import dev.telltale.TelltaleException;
import dev.telltale.baseline.BaselineHeader;
import dev.telltale.baseline.BaselineReader;
import dev.telltale.baseline.BaselineWriter;
import dev.telltale.compare.Change;
import dev.telltale.compare.Comparison;
import dev.telltale.compare.Merge;
import dev.telltale.crypto.SigningKey;
import dev.telltale.policy.Policy;
import dev.telltale.policy.Rule;
import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryStream;
import dev.telltale.scan.FsPath;
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
   * @param kept changes left out, because the selection did not name them or refused them
   * @param refusals the changes the selection named but could not accept, each with its reason
   * @param keptPrevious where the previous baseline was kept
   * @param newBaselineSha256 SHA-256 of the new baseline file
   */
  public record Result(
      long accepted,
      long kept,
      List<String> refusals,
      Path keptPrevious,
      String newBaselineSha256) {
    public Result {
      refusals = List.copyOf(refusals);
    }
  }

  public static Result run(
      Policy policy,
      Scanner scanner,
      Path rootDirectory,
      Path baselineFile,
      SigningKey key,
      String toolVersion,
      Acceptance acceptance)
      throws TelltaleException {
    List<String> refusals = new ArrayList<>();
    long accepted = 0;
    long kept = 0;
    try (BaselineReader reader = BaselineReader.open(baselineFile, key.verifyKey())) {
      BaselineHeader old = reader.header();
      BaselineHeader header =
          new BaselineHeader(
              BaselineHeader.CURRENT_VERSION,
              Instant.now(),
              HostName.current(),
              FsPath.of(rootDirectory.toAbsolutePath().normalize().toString()),
              policy.digestSha256(),
              toolVersion,
              key.verifyKey().fingerprint(),
              old.packages());
      Comparison comparison = new Comparison(policy::ruleFor, scanner::prefixDigest);
      Path keptPrevious;
      try (BaselineWriter writer = BaselineWriter.create(baselineFile, header, key);
          EntryStream baseline = reader.entries();
          EntryStream live = scanner.scan()) {
        Merge merge = new Merge(baseline, live);
        for (Merge.Pair pair = merge.next(); pair != null; pair = merge.next()) {
          Rule rule = policy.ruleFor(pair.path());
          if (rule == null || rule.isExclusion()) {
            continue;
          }
          Change change = comparison.compare(pair);
          if (change == null) {
            writer.write(pair.live() != null ? pair.live() : pair.baseline());
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
      return new Result(accepted, kept, refusals, keptPrevious, Digests.sha256Hex(baselineFile));
    }
  }

  /** Returns true for a change whose live side could not be read, which is never accepted. */
  private static boolean isUnreadableNow(Change change) {
    return change instanceof Change.Unreadable unreadable && unreadable.after().hasError();
  }
}
