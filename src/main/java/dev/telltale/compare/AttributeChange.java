package dev.telltale.compare;

import dev.telltale.scan.Attribute;
import java.util.Objects;

/**
 * One attribute that differs between the baseline and the live entry.
 *
 * @param attribute the attribute
 * @param before the baseline's value, or null when the baseline entry had none
 * @param after the live value, or null when the live entry has none
 */
public record AttributeChange(Attribute attribute, String before, String after) {
  public AttributeChange {
    Objects.requireNonNull(attribute, "attribute");
  }
}
