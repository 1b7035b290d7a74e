package dev.telltale.watch;

import dev.telltale.scan.FsPath;

/**
 * A part of the realtime area that events may not cover, so that only a rescan can show its
 * changes.
 *
 * @param directory the directory concerned; the root for a queue overflow
 * @param reason one of {@code queue-overflow}, {@code watch-limit}, {@code watch-failed}, {@code
 *     unmounted}, {@code unknown-directory}
 * @param detail what failed, in words, with the errno where there is one
 */
record Gap(FsPath directory, String reason, String detail) {
  static final String QUEUE_OVERFLOW = "queue-overflow";
  static final String WATCH_LIMIT = "watch-limit";
  static final String WATCH_FAILED = "watch-failed";
  static final String UNMOUNTED = "unmounted";
  static final String UNKNOWN_DIRECTORY = "unknown-directory";
}
