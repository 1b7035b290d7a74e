package dev.telltale.scan;

import java.util.Set;

/**
 * What the scanner records and where it walks. The policy implements this; tests may implement it
 * directly.
 */
public interface WalkPlan {
  /**
   * Returns the attributes to record for a path, or null when the path is not recorded because no
   * rule covers it or a rule excludes it.
   */
  Set<Attribute> attributesFor(FsPath path);

  /** Returns how to walk below a directory. */
  Descent descentBelow(FsPath directory);

  /**
   * Returns true when the walk may enter a directory that lies on another file system than its
   * parent: when the policy names that directory or a path below it, or when its rule allows
   * crossing mount points.
   */
  boolean mayCrossInto(FsPath directory);
}
