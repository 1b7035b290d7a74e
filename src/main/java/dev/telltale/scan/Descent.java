package dev.telltale.scan;

import java.util.List;

/** How the walk continues below a directory. */
public sealed interface Descent {
  /** Nothing below the directory is recorded or leads to a recorded path: do not open it. */
  record None() implements Descent {}

  /** List the directory and examine every entry in it. */
  record All() implements Descent {}

  /**
   * Do not list the directory; look up only these names, because rules name paths below them. An
   * excluded directory with a more specific rule below it is walked this way, so it is never
   * listed.
   *
   * @param names child names, each as raw bytes, in canonical (unsigned byte) order
   */
  record Named(List<byte[]> names) implements Descent {
    public Named {
      names = List.copyOf(names);
    }
  }

  Descent NONE = new None();
  Descent ALL = new All();
}
