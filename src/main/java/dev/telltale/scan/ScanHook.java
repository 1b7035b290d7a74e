package dev.telltale.scan;

/**
 * A test hook that the scanner calls after it has listed a directory and before it examines each
 * child, so that tests can remove or replace the child in between.
 */
@FunctionalInterface
interface ScanHook {
  ScanHook NONE = child -> {};

  void beforeExamine(FsPath child);
}
