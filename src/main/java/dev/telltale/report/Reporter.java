package dev.telltale.report;

import dev.telltale.OutputException;
import dev.telltale.compare.Change;
import dev.telltale.compare.Summary;

/**
 * A report format. The check calls {@link #start} once, {@link #change} for each change in
 * canonical order, then {@link #finish}. Output is deterministic for the same input.
 */
public interface Reporter {
  void start(ReportContext context) throws OutputException;

  void change(Change change) throws OutputException;

  /**
   * Receives a change whose new state a verified package header states exactly. A format that does
   * not separate explained changes reports it like any other, so no change is ever dropped.
   *
   * @param explainedBy the package's nevra, such as {@code fimtest-1.1-1.noarch}
   */
  default void change(Change change, String explainedBy) throws OutputException {
    change(change);
  }

  void finish(Summary summary) throws OutputException;
}
