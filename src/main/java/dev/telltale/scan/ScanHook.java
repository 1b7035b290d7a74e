package dev.telltale.scan;

/**
 * A test hook that the scanner calls after it has listed a directory and before it examines each
 * child, and again between reading a child's status and opening it, so that tests can remove or
 * replace the child in between.
 */
interface ScanHook {
  ScanHook NONE = new ScanHook() {};

  default void beforeExamine(FsPath child) {}

  default void beforeOpen(FsPath child) {}
}
