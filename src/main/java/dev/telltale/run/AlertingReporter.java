package dev.telltale.run;

import dev.telltale.OutputException;
import dev.telltale.TelltaleException;
import dev.telltale.alert.Alerts;
import dev.telltale.compare.Change;
import dev.telltale.compare.Summary;
import dev.telltale.report.NdjsonReporter;
import dev.telltale.report.ReportContext;
import dev.telltale.report.Reporter;

/**
 * Passes a check's events to a reporter and, as sealed and numbered records, to the alert sinks:
 * the start, each change, and the end with the summary. The records carry the same Elastic Common
 * Schema events as {@code check --format ndjson}.
 */
public final class AlertingReporter implements Reporter {
  private final Reporter report;
  private final Alerts alerts;
  private ReportContext context;

  public AlertingReporter(Reporter report, Alerts alerts) {
    this.report = report;
    this.alerts = alerts;
  }

  @Override
  public void start(ReportContext reportContext) throws OutputException {
    this.context = reportContext;
    emit("check.start", NdjsonReporter.startEventJson(reportContext));
    for (String packageEvent : NdjsonReporter.packageEventsJson(reportContext)) {
      emit("change", packageEvent);
    }
    report.start(reportContext);
  }

  @Override
  public void change(Change change) throws OutputException {
    emit("change", NdjsonReporter.changeEventJson(context, change));
    report.change(change);
  }

  @Override
  public void change(Change change, String explainedBy) throws OutputException {
    emit("change", NdjsonReporter.changeEventJson(context, change, explainedBy));
    report.change(change, explainedBy);
  }

  @Override
  public void finish(Summary summary) throws OutputException {
    emit("check.end", NdjsonReporter.finishEventJson(context, summary));
    report.finish(summary);
  }

  private void emit(String kind, String json) throws OutputException {
    send(alerts, kind, json);
  }

  /**
   * Sends one event to the sinks.
   *
   * @throws OutputException if the record may be lost, including for a fault of the local sealing
   *     state
   */
  public static void send(Alerts alerts, String kind, String json) throws OutputException {
    try {
      alerts.emit(kind, json);
    } catch (OutputException e) {
      throw e;
    } catch (TelltaleException e) {
      // Alerts spools records for sinks that fail, so what reaches here is a fault of the local
      // sealing state, which the caller cannot work around.
      throw new OutputException("cannot send the " + kind + " record: " + e.getMessage(), e);
    }
  }
}
