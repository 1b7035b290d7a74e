package dev.telltale.watch;

import dev.telltale.alert.JsonPayload;
import dev.telltale.report.ReportContext;
import dev.telltale.scan.FsPath;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Elastic Common Schema events that only {@code watch} sends: start, coverage gap, rescan,
 * revert and stop. Changes go out as the same events that {@code check} sends.
 */
final class WatchRecords {
  static final String START_KIND = "watch.start";
  static final String GAP_KIND = "watch.gap";
  static final String RESCAN_KIND = "watch.rescan";
  static final String REVERTED_KIND = "watch.reverted";
  static final String STOP_KIND = "watch.stop";

  private WatchRecords() {}

  static String start(
      ReportContext context, DirectoryWatches<?> watches, List<FsPath> roots, int gaps) {
    return open(context, "event", "watch-started", "info")
        + ",\"telltale\":{\"baseline\":{\"path\":"
        + JsonPayload.quote(context.baselinePath())
        + ",\"sha256\":"
        + JsonPayload.quote(context.baselineSha256())
        + "},\"key_fingerprint\":"
        + JsonPayload.quote(context.keyFingerprint())
        + ",\"policy\":{\"source\":"
        + JsonPayload.quote(context.policySource())
        + ",\"sha256\":"
        + JsonPayload.quote(context.policySha256())
        + "},\"root\":"
        + JsonPayload.quote(context.rootDirectory())
        + ",\"watch\":{\"mechanism\":"
        + JsonPayload.quote(watches.mechanism())
        + mechanismDetail(watches)
        + ",\"directories\":"
        + watches.count()
        + ",\"roots\":"
        + paths(roots)
        + ",\"gaps\":"
        + gaps
        + "}"
        + warnings(context)
        + "}}";
  }

  /** Returns the marks fanotify uses, or why inotify is used in place of fanotify. */
  private static String mechanismDetail(DirectoryWatches<?> watches) {
    return switch (watches) {
      case FanotifyWatches fanotify -> ",\"marks\":" + JsonPayload.quote(fanotify.marks());
      case InotifyWatches inotify ->
          inotify.fanotifyUnavailable() == null
              ? ""
              : ",\"fanotify_unavailable\":" + JsonPayload.quote(inotify.fanotifyUnavailable());
    };
  }

  static String gap(ReportContext context, Gap gap) {
    return open(context, "alert", "watch-gap", "info")
        + ",\"file\":{\"path\":"
        + JsonPayload.quote(gap.directory().toString())
        + "},\"error\":{\"message\":"
        + JsonPayload.quote(gap.detail())
        + "},\"telltale\":{\"watch\":{\"gap\":"
        + JsonPayload.quote(gap.reason())
        + "}}}";
  }

  static String rescan(
      ReportContext context, FsPath scope, String reason, long compared, long changes) {
    return open(context, "event", "watch-rescan", "info")
        + ",\"file\":{\"path\":"
        + JsonPayload.quote(scope.toString())
        + "},\"telltale\":{\"watch\":{\"rescan\":"
        + JsonPayload.quote(reason)
        + ",\"compared\":"
        + compared
        + ",\"changes\":"
        + changes
        + "}}}";
  }

  static String reverted(ReportContext context, FsPath path, String ruleSource) {
    return open(context, "alert", "reverted", "change")
        + ",\"file\":{\"path\":"
        + JsonPayload.quote(path.toString())
        + "},\"rule\":{\"id\":"
        + JsonPayload.quote(ruleSource)
        + "},\"telltale\":{\"watch\":{\"matches_baseline\":true}}}";
  }

  static String stop(ReportContext context, String reason) {
    return open(context, "event", "watch-stopped", "end")
        + ",\"telltale\":{\"watch\":{\"stopped\":"
        + JsonPayload.quote(reason)
        + "}}}";
  }

  /** Returns the fields every watch event starts with, leaving the object open. */
  private static String open(ReportContext context, String kind, String action, String type) {
    return "{\"@timestamp\":"
        + JsonPayload.quote(DateTimeFormatter.ISO_INSTANT.format(context.checkedAt()))
        + ",\"event\":{\"kind\":\""
        + kind
        + "\",\"category\":[\"file\"],\"type\":[\""
        + type
        + "\"],\"action\":\""
        + action
        + "\",\"module\":\"telltale\",\"dataset\":\"telltale.watch\"},\"host\":{\"name\":"
        + JsonPayload.quote(context.host())
        + "},\"agent\":{\"type\":\"telltale\",\"version\":"
        + JsonPayload.quote(context.toolVersion())
        + "}";
  }

  private static String paths(List<FsPath> roots) {
    return roots.stream()
        .map(root -> JsonPayload.quote(root.toString()))
        .collect(Collectors.joining(",", "[", "]"));
  }

  private static String warnings(ReportContext context) {
    if (context.warnings().isEmpty()) {
      return "";
    }
    return ",\"warnings\":"
        + context.warnings().stream()
            .map(JsonPayload::quote)
            .collect(Collectors.joining(",", "[", "]"));
  }
}
