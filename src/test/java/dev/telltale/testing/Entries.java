package dev.telltale.testing;

import dev.telltale.scan.Attribute;
import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryType;
import dev.telltale.scan.FsPath;
import java.util.EnumMap;
import java.util.Map;

/** Builds entries for tests: {@code Entries.file("/etc/passwd", "size=10", "mode=0644")}. */
public final class Entries {
  private Entries() {}

  public static Entry of(String path, EntryType type, String... values) {
    Map<Attribute, String> map = new EnumMap<>(Attribute.class);
    for (String value : values) {
      int equals = value.indexOf('=');
      Attribute attribute = Attribute.fromPolicyName(value.substring(0, equals));
      if (attribute == null) {
        throw new IllegalArgumentException("unknown attribute in " + value);
      }
      map.put(attribute, value.substring(equals + 1));
    }
    return new Entry(FsPath.of(path), type, map, null);
  }

  public static Entry file(String path, String... values) {
    return of(path, EntryType.FILE, values);
  }

  public static Entry dir(String path, String... values) {
    return of(path, EntryType.DIRECTORY, values);
  }
}
