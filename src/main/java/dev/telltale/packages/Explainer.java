package dev.telltale.packages;

import dev.telltale.compare.AttributeChange;
import dev.telltale.compare.Change;
import dev.telltale.scan.Attribute;
import dev.telltale.scan.Entry;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a verified package header explains a change: the live entry is exactly what the
 * vendor-signed metadata states. Only added and changed entries can be explained. A removed entry
 * is not, because no installed header states that a file should be gone, and neither is an entry
 * that could not be read.
 */
public final class Explainer {
  /**
   * Attributes that a package install may change: those the header states, plus the inode number
   * and ctime that any replaced file gets. A difference in any other attribute (uid or gid number,
   * extended attributes, ACL, SELinux context, capabilities, inode flags, link count, device) is
   * never explained, because the header does not state it.
   */
  private static final Set<Attribute> EXPLAINABLE =
      EnumSet.of(
          Attribute.TYPE,
          Attribute.MODE,
          Attribute.USER,
          Attribute.GROUP,
          Attribute.SIZE,
          Attribute.MTIME,
          Attribute.CTIME,
          Attribute.INODE,
          Attribute.TARGET,
          Attribute.SHA256,
          Attribute.SHA512);

  private final PackageIndex index;

  public Explainer(PackageIndex index) {
    this.index = index;
  }

  /**
   * Returns the nevra of the verified package whose header states the change's live entry, or empty
   * when no verified header does.
   */
  public Optional<String> explain(Change change) {
    Entry after =
        switch (change) {
          case Change.Added added -> hasCapabilities(added.after()) ? null : added.after();
          case Change.Changed changed -> onlyExplainable(changed) ? changed.after() : null;
          case Change.Removed removed -> null;
          case Change.Unreadable unreadable -> null;
        };
    if (after == null) {
      return Optional.empty();
    }
    return index
        .lookup(change.path())
        .filter(file -> PackageIndex.matches(after, file))
        .map(PackageFile::nevra);
  }

  private static boolean onlyExplainable(Change.Changed changed) {
    for (AttributeChange difference : changed.differences()) {
      if (!EXPLAINABLE.contains(difference.attribute())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns true when a new entry carries file capabilities.
   *
   * <p>NOTE: {@link PackageFile} does not carry the header's FILECAPS yet, so a new file with
   * capabilities is never explained, even when its package sets them.
   */
  private static boolean hasCapabilities(Entry entry) {
    String capabilities = entry.value(Attribute.CAPS);
    return capabilities != null && !capabilities.isEmpty();
  }
}
