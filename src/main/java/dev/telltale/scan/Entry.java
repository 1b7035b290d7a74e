package dev.telltale.scan;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One file system entry as recorded: its path, its type, the values of the attributes that its rule
 * selected, and an error when some of them could not be read.
 *
 * <p>An entry with an error still carries the values that could be read. Such an entry makes the
 * coverage of a check incomplete.
 *
 * @param path the path as the policy writes it, never prefixed by {@code --root}
 * @param type the entry type; {@link EntryType#UNKNOWN} only together with an error
 * @param values attribute values in canonical text form; {@link Attribute#TYPE} is always present
 * @param error what could not be read and why, or null
 */
public record Entry(FsPath path, EntryType type, Map<Attribute, String> values, String error) {
  public Entry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    EnumMap<Attribute, String> copy = new EnumMap<>(Attribute.class);
    copy.putAll(values);
    copy.put(Attribute.TYPE, type.label());
    for (Map.Entry<Attribute, String> value : copy.entrySet()) {
      Objects.requireNonNull(value.getValue(), value.getKey().policyName());
    }
    values = Collections.unmodifiableMap(copy);
  }

  /** Returns the value of one attribute, or null when it was not recorded. */
  public String value(Attribute attribute) {
    return values.get(attribute);
  }

  public boolean hasError() {
    return error != null;
  }

  /** Returns a copy of this entry with an error attached. */
  public Entry withError(String newError) {
    return new Entry(path, type, values, newError);
  }
}
