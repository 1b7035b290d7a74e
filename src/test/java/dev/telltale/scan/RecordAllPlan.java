package dev.telltale.scan;

import java.util.EnumSet;
import java.util.Set;

/** A plan that records every attribute of every entry and lists every directory. */
final class RecordAllPlan implements WalkPlan {
  private final Set<Attribute> attributes;

  RecordAllPlan() {
    this(EnumSet.allOf(Attribute.class));
  }

  RecordAllPlan(Set<Attribute> attributes) {
    this.attributes = attributes;
  }

  @Override
  public Set<Attribute> attributesFor(FsPath path) {
    return attributes;
  }

  @Override
  public Descent descentBelow(FsPath directory) {
    return Descent.ALL;
  }

  @Override
  public boolean mayCrossInto(FsPath directory) {
    return false;
  }
}
