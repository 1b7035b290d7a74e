package dev.telltale.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The kinds of system that telltale ships a default policy for. */
public enum SystemKind {
  QUBES_DOM0("qubes-dom0.policy"),
  FEDORA("fedora.policy"),
  DEBIAN("debian.policy"),
  GENERIC("generic.policy");

  /** Limit on the os-release file read; real ones are well under a kilobyte. */
  private static final int MAX_OS_RELEASE_BYTES = 64 * 1024;

  private final String resourceName;

  SystemKind(String resourceName) {
    this.resourceName = resourceName;
  }

  /** Returns the file name of the default policy, a resource next to this class. */
  public String resourceName() {
    return resourceName;
  }

  /**
   * Detects the kind of the system whose root directory is given, which may be a mounted copy.
   * Qubes dom0 has {@code /etc/qubes-release}; otherwise the {@code ID} and then the {@code
   * ID_LIKE} words of {@code /etc/os-release} (or {@code /usr/lib/os-release}) decide. Symbolic
   * links are not followed, because on a mounted copy an absolute link would lead out of it.
   * Returns {@link #GENERIC} when nothing is recognized or the files cannot be read.
   */
  public static SystemKind detect(Path rootDirectory) {
    if (Files.isRegularFile(
        rootDirectory.resolve("etc/qubes-release"), LinkOption.NOFOLLOW_LINKS)) {
      return QUBES_DOM0;
    }
    for (String candidate : List.of("etc/os-release", "usr/lib/os-release")) {
      Path file = rootDirectory.resolve(candidate);
      if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        return fromOsRelease(read(file));
      }
    }
    return GENERIC;
  }

  private static String read(Path file) {
    try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      return new String(in.readNBytes(MAX_OS_RELEASE_BYTES), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Returns the kind named by the {@code ID}, then {@code ID_LIKE}, of os-release text. */
  static SystemKind fromOsRelease(String text) {
    List<String> ids = new ArrayList<>();
    List<String> likes = new ArrayList<>();
    for (String line : text.split("\n")) {
      int equals = line.indexOf('=');
      if (equals < 0) {
        continue;
      }
      String key = line.substring(0, equals).strip();
      String value = unquote(line.substring(equals + 1).strip()).toLowerCase(Locale.ROOT);
      if (key.equals("ID")) {
        ids.add(value);
      } else if (key.equals("ID_LIKE")) {
        likes.addAll(List.of(value.split("\\s+")));
      }
    }
    ids.addAll(likes);
    for (String id : ids) {
      switch (id) {
        case "qubes" -> {
          return QUBES_DOM0;
        }
        case "fedora", "rhel", "centos" -> {
          return FEDORA;
        }
        case "debian", "ubuntu" -> {
          return DEBIAN;
        }
        default -> {}
      }
    }
    return GENERIC;
  }

  private static String unquote(String value) {
    boolean quoted =
        value.length() >= 2
            && (value.charAt(0) == '"' || value.charAt(0) == '\'')
            && value.charAt(value.length() - 1) == value.charAt(0);
    return quoted ? value.substring(1, value.length() - 1) : value;
  }
}
