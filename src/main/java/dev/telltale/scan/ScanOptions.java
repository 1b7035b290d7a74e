package dev.telltale.scan;

/**
 * How a scan runs.
 *
 * @param threads number of threads that compute content digests, at least 1
 * @param showProgress whether the caller intends to show {@link Scanner#progress()}; the scanner
 *     counts either way, rendering is the command line's job
 */
public record ScanOptions(int threads, boolean showProgress) {
  /** Most threads accepted; more would only hold more files open at once. */
  public static final int MAX_THREADS = 256;

  public ScanOptions {
    if (threads < 1 || threads > MAX_THREADS) {
      throw new IllegalArgumentException(
          "threads " + threads + " is out of range: use 1 to " + MAX_THREADS);
    }
  }

  /** Returns options with one digest thread per available processor and no progress display. */
  public static ScanOptions defaults() {
    int processors = Runtime.getRuntime().availableProcessors();
    return new ScanOptions(Math.min(processors, MAX_THREADS), false);
  }
}
