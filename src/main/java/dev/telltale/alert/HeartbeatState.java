package dev.telltale.alert;

import dev.telltale.OutputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The result of the last check, which every heartbeat carries. The check writes it to {@code
 * last-check.json} in the sealing state directory when it finishes:
 * {"finished":"2026-01-01T00:00:00Z","exit_code":0}.
 *
 * @param finished when the check finished
 * @param exitCode the check's exit code
 */
public record HeartbeatState(Instant finished, int exitCode) {
  static final String FILE = "last-check.json";
  private static final Pattern FORMAT =
      Pattern.compile("\\{\"finished\":\"([0-9T:.Z-]{1,40})\",\"exit_code\":([0-9]{1,3})}\\n?");

  /**
   * Writes the state atomically to the directory.
   *
   * @throws OutputException if the file cannot be written
   */
  public void write(Path stateDirectory) throws OutputException {
    Path file = stateDirectory.resolve(FILE);
    Path fresh = stateDirectory.resolve(FILE + ".new");
    try {
      Files.createDirectories(stateDirectory);
      Files.writeString(fresh, toJson() + "\n", StandardCharsets.US_ASCII);
      Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new OutputException("cannot write the last check result " + file + ": " + e, e);
    }
  }

  /**
   * Reads the state from the directory. A missing file means no check has finished yet.
   *
   * @throws OutputException if the file cannot be read or is malformed
   */
  public static Optional<HeartbeatState> read(Path stateDirectory) throws OutputException {
    Path file = stateDirectory.resolve(FILE);
    try {
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      if (Files.size(file) > 256) {
        throw new OutputException("malformed last check result " + file + ": too large");
      }
      Matcher matcher = FORMAT.matcher(Files.readString(file, StandardCharsets.US_ASCII));
      if (!matcher.matches()) {
        throw new OutputException(
            "malformed last check result " + file + ": delete it; the next check rewrites it");
      }
      return Optional.of(
          new HeartbeatState(Instant.parse(matcher.group(1)), Integer.parseInt(matcher.group(2))));
    } catch (IOException | DateTimeParseException e) {
      throw new OutputException("cannot read the last check result " + file + ": " + e, e);
    }
  }

  String toJson() {
    return "{\"finished\":\"" + finished + "\",\"exit_code\":" + exitCode + "}";
  }
}
