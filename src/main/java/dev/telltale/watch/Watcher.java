package dev.telltale.watch;

import dev.telltale.OutputException;
import dev.telltale.TelltaleException;
import dev.telltale.alert.Alerts;
import dev.telltale.baseline.BaselineHeader;
import dev.telltale.baseline.BaselineReader;
import dev.telltale.compare.Change;
import dev.telltale.compare.Comparison;
import dev.telltale.compare.Merge;
import dev.telltale.crypto.VerifyKey;
import dev.telltale.policy.Policy;
import dev.telltale.policy.PolicyException;
import dev.telltale.policy.Rule;
import dev.telltale.posix.PosixException;
import dev.telltale.report.NdjsonReporter;
import dev.telltale.report.ReportContext;
import dev.telltale.run.AlertingReporter;
import dev.telltale.run.HostName;
import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryStream;
import dev.telltale.scan.FsPath;
import dev.telltale.scan.ScanOptions;
import dev.telltale.scan.Scanner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Follows the paths of a policy's realtime rules as they change, and reports each difference from
 * the baseline as it appears.
 *
 * <p>{@link #start} verifies the baseline's signature, keeps its realtime entries in memory,
 * watches every directory of the realtime area and each directory leading to it (excluded trees are
 * not reported) with fanotify or inotify, as {@link Mechanism} selects, and compares the whole area
 * with the baseline once. {@link #run} then handles events until {@link #stop}: the events of a
 * burst are coalesced per path, and each path is examined at most {@value #MAX_DELAY_MILLIS} ms
 * after its first event, then compared with its baseline entry. A directory created or moved in is
 * watched and compared with everything below it.
 *
 * <p>Each change goes to standard output and to the sinks as the same event {@code check} sends,
 * once per state: the same path in the same state is not sent twice. A path that returns to its
 * baseline state after a reported change is sent once as {@code reverted}, and a later change is
 * sent again.
 *
 * <p>Nothing is missed silently: a queue overflow, a watch limit reached or a directory that cannot
 * be watched is sent as a {@code watch.gap} record, and the affected part of the area is compared
 * again in full.
 */
public final class Watcher implements AutoCloseable {
  static final long QUIET_MILLIS = 100;
  static final long MAX_DELAY_MILLIS = 400;

  private final Policy policy;
  private final RealtimeArea area;
  private final Path rootDirectory;
  private final TreeMap<FsPath, Entry> baseline;
  private final ReportContext template;
  private final Alerts alerts;
  private final PrintWriter out;
  private final DirectoryWatches<?> watches;
  private final Scanner examiner;
  private final Debouncer debouncer =
      new Debouncer(
          TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS),
          TimeUnit.MILLISECONDS.toNanos(MAX_DELAY_MILLIS));
  private final Map<FsPath, Optional<Entry>> reported = new HashMap<>();
  private volatile String stopReason;
  private volatile boolean closed;

  private Watcher(
      Policy policy,
      RealtimeArea area,
      Path rootDirectory,
      TreeMap<FsPath, Entry> baseline,
      ReportContext template,
      Alerts alerts,
      PrintWriter out,
      DirectoryWatches<?> watches) {
    this.policy = policy;
    this.area = area;
    this.rootDirectory = rootDirectory;
    this.baseline = baseline;
    this.template = template;
    this.alerts = alerts;
    this.out = out;
    this.watches = watches;
    this.examiner = new Scanner(rootDirectory, policy, new ScanOptions(1, false));
  }

  /**
   * Verifies the baseline, places the watches, reports the gaps and the differences found by a
   * first comparison, and returns the watcher ready to {@link #run}.
   *
   * @param mechanism the kernel interface to use; {@link Mechanism#AUTO} falls back to inotify when
   *     fanotify file system marks are not available
   * @param alerts the sinks, or null to write to {@code out} alone
   * @param out receives each event as one line of JSON
   * @param err receives one line that names the mechanism and what it covers
   * @throws PolicyException if the policy has no realtime rule
   * @throws dev.telltale.TamperException if the baseline's signature does not verify
   * @throws dev.telltale.baseline.BaselineFormatException if the baseline is missing or corrupt
   * @throws OutputException if the mechanism cannot be set up or a record cannot be sent
   */
  public static Watcher start(
      Policy policy,
      Path rootDirectory,
      Path baselineFile,
      VerifyKey key,
      String toolVersion,
      Mechanism mechanism,
      Alerts alerts,
      PrintWriter out,
      PrintWriter err)
      throws TelltaleException {
    return start(
        policy, rootDirectory, baselineFile, key, toolVersion, mechanism, true, alerts, out, err);
  }

  /**
   * Starts as {@link #start(Policy, Path, Path, VerifyKey, String, Mechanism, Alerts, PrintWriter,
   * PrintWriter)} does; with {@code allowFilesystemMarks} false, fanotify marks each directory.
   */
  static Watcher start(
      Policy policy,
      Path rootDirectory,
      Path baselineFile,
      VerifyKey key,
      String toolVersion,
      Mechanism mechanism,
      boolean allowFilesystemMarks,
      Alerts alerts,
      PrintWriter out,
      PrintWriter err)
      throws TelltaleException {
    RealtimeArea area = RealtimeArea.of(policy);
    if (area.isEmpty()) {
      throw new PolicyException(
          policy.sourceName()
              + ": no rule is marked realtime, so there is nothing to watch; add 'realtime' to the"
              + " rules of the most sensitive paths");
    }
    TreeMap<FsPath, Entry> baseline = new TreeMap<>();
    ReportContext template;
    try (BaselineReader reader = BaselineReader.open(baselineFile, key)) {
      try (EntryStream entries = reader.entries()) {
        // Reading to the end is what checks the second pass against the signed bytes.
        for (Entry entry = entries.next(); entry != null; entry = entries.next()) {
          if (area.realtimeRule(entry.path()) != null) {
            baseline.put(entry.path(), entry);
          }
        }
      }
      BaselineHeader header = reader.header();
      List<String> warnings = new ArrayList<>();
      if (!header.policySha256().equals(policy.digestSha256())) {
        warnings.add(
            "the policy differs from the one the baseline was made with (baseline policy sha256 "
                + header.policySha256()
                + "): paths it no longer covers are not compared");
      }
      template =
          new ReportContext(
              toolVersion,
              HostName.current(),
              Instant.now(),
              rootDirectory.toString(),
              baselineFile.toString(),
              reader.fileSha256(),
              header.created(),
              header.host(),
              key.fingerprint(),
              policy.sourceName(),
              policy.digestSha256(),
              warnings);
    }
    DirectoryWatches<?> watches = mechanism.open(rootDirectory, area, allowFilesystemMarks);
    Watcher watcher =
        new Watcher(policy, area, rootDirectory, baseline, template, alerts, out, watches);
    try {
      watcher.begin(err);
    } catch (TelltaleException | RuntimeException e) {
      watches.close();
      throw e;
    }
    return watcher;
  }

  private void begin(PrintWriter err) throws TelltaleException {
    List<Gap> gaps = watches.place(FsPath.ROOT);
    String roots = area.roots().stream().map(FsPath::toString).collect(Collectors.joining(", "));
    err.println(
        "telltale: watching with "
            + watches.mechanism()
            + " ("
            + watches.coverage()
            + "): "
            + watches.count()
            + " directories, covering "
            + roots
            + (gaps.isEmpty()
                ? ""
                : "; " + gaps.size() + " not covered, see the watch.gap records"));
    err.flush();
    emit(
        WatchRecords.START_KIND, WatchRecords.start(context(), watches, area.roots(), gaps.size()));
    for (Gap gap : gaps) {
      emit(WatchRecords.GAP_KIND, WatchRecords.gap(context(), gap));
    }
    rescan(FsPath.ROOT, "start");
  }

  /** Returns the number of directories watched now. */
  public int watchedDirectories() {
    return watches.count();
  }

  /**
   * Handles events until {@link #stop} is called, then sends a {@code watch.stop} record.
   *
   * @throws OutputException if events cannot be read or a record cannot be sent
   */
  public void run() throws TelltaleException {
    while (stopReason == null) {
      int timeoutMillis = debouncer.millisUntilDue(System.nanoTime());
      List<Notice> notices;
      try {
        notices = watches.read(timeoutMillis);
      } catch (PosixException e) {
        throw new OutputException(
            "cannot read " + watches.mechanism() + " events: " + e.getMessage(), e);
      }
      boolean overflow = false;
      long nowNanos = System.nanoTime();
      for (Notice notice : notices) {
        overflow |= handle(notice, nowNanos);
      }
      if (overflow) {
        recoverFromOverflow();
      }
      for (Debouncer.Due due : debouncer.takeDue(System.nanoTime())) {
        if (due.subtree()) {
          rescan(due.path(), null);
        } else {
          examine(due.path());
        }
      }
    }
    emit(WatchRecords.STOP_KIND, WatchRecords.stop(context(), stopReason));
  }

  /**
   * Asks {@link #run} to return after the events in hand; safe to call from any thread, such as a
   * shutdown hook.
   *
   * @param reason why, as the {@code watch.stop} record states it
   */
  public void stop(String reason) {
    stopReason = reason;
    if (!closed) {
      watches.wakeUp();
    }
  }

  /** Returns true for a queue overflow, which the caller recovers from after the whole batch. */
  private boolean handle(Notice notice, long nowNanos) throws TelltaleException {
    FsPath directory = notice.directory();
    switch (notice.kind()) {
      case OVERFLOW -> {
        return true;
      }
      case UNMOUNTED -> {
        reportGaps(List.of(new Gap(directory, Gap.UNMOUNTED, "the file system was unmounted")));
        debouncer.touch(directory, true, nowNanos);
      }
      case UNKNOWN_DIRECTORY ->
          reportGaps(
              List.of(
                  new Gap(
                      FsPath.ROOT,
                      Gap.UNKNOWN_DIRECTORY,
                      "an event named a marked directory whose path is not known; comparing the"
                          + " whole realtime area again")));
      case DIRECTORY_ATTRIBUTE -> {
        // The parent's watch reports the same change under the directory's name; this copy
        // matters for a root whose parent is outside the area.
        if (area.realtimeRule(directory) != null) {
          debouncer.touch(directory, false, nowNanos);
        }
      }
      case ENTRY -> handleEntry(notice, nowNanos);
    }
    return false;
  }

  private void handleEntry(Notice notice, long nowNanos) throws TelltaleException {
    FsPath child = notice.directory().child(notice.name());
    RealtimeArea.Place place = area.place(child);
    if (notice.structural()
        && place != RealtimeArea.Place.OUTSIDE
        && (notice.isDirectory() || place == RealtimeArea.Place.ON_THE_WAY)) {
      // Watch a new directory at once, so that what is written into it next raises events too.
      reportGaps(watches.place(child));
      debouncer.touch(child, true, nowNanos);
      return;
    }
    if (area.realtimeRule(child) != null) {
      debouncer.touch(child, false, nowNanos);
    }
  }

  private void recoverFromOverflow() throws TelltaleException {
    reportGaps(
        List.of(
            new Gap(
                FsPath.ROOT,
                Gap.QUEUE_OVERFLOW,
                "the "
                    + watches.mechanism()
                    + " event queue overflowed and events were lost; comparing the whole"
                    + " realtime area again (raise "
                    + watches.queueSetting()
                    + " if it recurs)")));
    debouncer.clear();
    reportGaps(watches.place(FsPath.ROOT));
    rescan(FsPath.ROOT, Gap.QUEUE_OVERFLOW);
  }

  /** Sends each gap and compares the directories concerned again. */
  private void reportGaps(List<Gap> gaps) throws TelltaleException {
    for (Gap gap : gaps) {
      emit(WatchRecords.GAP_KIND, WatchRecords.gap(context(), gap));
      if (!gap.reason().equals(Gap.QUEUE_OVERFLOW)) {
        debouncer.touch(gap.directory(), true, System.nanoTime());
      }
    }
  }

  private void examine(FsPath path) throws TelltaleException {
    Rule rule = area.realtimeRule(path);
    if (rule == null) {
      return;
    }
    Entry live = examiner.examine(path, rule.attributes());
    Comparison comparison = new Comparison(policy::ruleFor, examiner::prefixDigest);
    deliver(path, live, comparison.compare(new Merge.Pair(path, baseline.get(path), live)));
  }

  /**
   * Compares everything of the realtime area at or below {@code scope} with the baseline, as {@code
   * check} does, and sends a {@code watch.rescan} record unless {@code reason} is null.
   */
  private void rescan(FsPath scope, String reason) throws TelltaleException {
    Scanner scanner = new Scanner(rootDirectory, area.plan(scope), new ScanOptions(1, false));
    Comparison comparison = new Comparison(policy::ruleFor, scanner::prefixDigest);
    long compared = 0;
    long changes = 0;
    try (EntryStream live = scanner.scan();
        EntryStream recorded = baselineBelow(scope)) {
      Merge merge = new Merge(recorded, live);
      for (Merge.Pair pair = merge.next(); pair != null; pair = merge.next()) {
        compared++;
        if (deliver(pair.path(), pair.live(), comparison.compare(pair))) {
          changes++;
        }
      }
    }
    if (reason != null) {
      emit(
          WatchRecords.RESCAN_KIND,
          WatchRecords.rescan(context(), scope, reason, compared, changes));
    }
  }

  /** Returns the baseline entries at or below {@code scope}, in canonical order. */
  private EntryStream baselineBelow(FsPath scope) {
    Iterator<Entry> entries = baseline.tailMap(scope, true).values().iterator();
    return new EntryStream() {
      @Override
      public Entry next() {
        if (!entries.hasNext()) {
          return null;
        }
        Entry entry = entries.next();
        return entry.path().startsWith(scope) ? entry : null;
      }

      @Override
      public void close() {}
    };
  }

  /**
   * Sends a change unless the path was already reported in the same state, or a revert when a
   * reported path matches the baseline again. Returns true when something was sent.
   */
  private boolean deliver(FsPath path, Entry live, Change change) throws TelltaleException {
    if (change == null) {
      if (reported.remove(path) == null) {
        return false;
      }
      Rule rule = policy.ruleFor(path);
      emit(
          WatchRecords.REVERTED_KIND,
          WatchRecords.reverted(context(), path, rule == null ? "" : rule.source()));
      return true;
    }
    Optional<Entry> state =
        change instanceof Change.Removed ? Optional.empty() : Optional.ofNullable(live);
    if (state.equals(reported.get(path))) {
      return false;
    }
    reported.put(path, state);
    emit("change", NdjsonReporter.changeEventJson(context(), change));
    return true;
  }

  private ReportContext context() {
    ReportContext t = template;
    return new ReportContext(
        t.toolVersion(),
        t.host(),
        Instant.now(),
        t.rootDirectory(),
        t.baselinePath(),
        t.baselineSha256(),
        t.baselineCreated(),
        t.baselineHost(),
        t.keyFingerprint(),
        t.policySource(),
        t.policySha256(),
        t.warnings());
  }

  private void emit(String kind, String json) throws TelltaleException {
    out.println(json);
    out.flush();
    if (alerts == null) {
      return;
    }
    AlertingReporter.send(alerts, kind, json);
  }

  /**
   * Closes the inotify instance or fanotify group; the alerts stay open for the caller to close.
   */
  @Override
  public void close() {
    closed = true;
    watches.close();
  }
}
