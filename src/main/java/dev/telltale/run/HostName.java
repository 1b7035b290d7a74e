package dev.telltale.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The name of this host, read from the kernel without a network lookup (dom0 has no network). */
public final class HostName {
  private HostName() {}

  /** Returns the kernel's host name, or "localhost" when it cannot be read. */
  public static String current() {
    try {
      byte[] bytes = Files.readAllBytes(Path.of("/proc/sys/kernel/hostname"));
      String name = new String(bytes, StandardCharsets.UTF_8).strip();
      return name.isEmpty() ? "localhost" : name;
    } catch (IOException e) {
      return "localhost";
    }
  }
}
