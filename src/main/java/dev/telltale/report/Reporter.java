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

  void finish(Summary summary) throws OutputException;
}
