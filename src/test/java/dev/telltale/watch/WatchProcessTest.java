package dev.telltale.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.cli.Main;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code telltale watch} as its own process, run as user nobody (65534) so that a directory without
 * permissions cannot be watched and fanotify file system marks are not permitted, and stopped with
 * SIGTERM.
 */
class WatchProcessTest {
  private static final String NOBODY = "65534";

  @TempDir Path work;

  @Test
  void unwatchableDirectoryAndSigtermAreReported() throws Exception {
    WatchFixture fixture = new WatchFixture(work);
    Path locked = Files.createDirectories(fixture.root.resolve("srv/locked"));
    Files.writeString(locked.resolve("secret"), "hidden");
    fixture.init();
    Path publicKey = work.resolve("telltale.pub");
    Files.copy(fixture.keys.resolve("telltale.pub"), publicKey);
    Files.createFile(fixture.log);
    Path classPath = copyClassPath();
    command("chmod", "-R", "a+rX", work.toString());
    command("chown", "-R", NOBODY + ":" + NOBODY, fixture.state.toString(), fixture.log.toString());
    command("chmod", "000", locked.toString());
    Path err = work.resolve("watch.err");

    Process watch = startAsNobody(fixture, publicKey, classPath, err);
    long gapMillis;
    long heartbeatMillis;
    try {
      gapMillis = fixture.awaitRecord(20_000, "watch.gap", "/srv/locked", "watch-failed");
      heartbeatMillis = fixture.awaitRecord(5_000, "heartbeat");
    } finally {
      watch.destroy();
    }
    boolean exited = watch.waitFor(15, TimeUnit.SECONDS);

    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(gapMillis).as(stderr).isNotNegative();
    assertThat(heartbeatMillis).as(stderr).isNotNegative();
    assertThat(exited).as(stderr).isTrue();
    assertThat(fixture.records("watch.stop")).as(stderr).hasSize(1);
    assertThat(stderr).contains("telltale: watch stopped");
  }

  @Test
  void nonRootFallsBackToInotify() throws Exception {
    WatchFixture fixture = new WatchFixture(work);
    fixture.init();
    Path publicKey = work.resolve("telltale.pub");
    Files.copy(fixture.keys.resolve("telltale.pub"), publicKey);
    Files.createFile(fixture.log);
    Path classPath = copyClassPath();
    command("chmod", "-R", "a+rX", work.toString());
    command("chown", "-R", NOBODY + ":" + NOBODY, fixture.state.toString(), fixture.log.toString());
    Path err = work.resolve("watch.err");

    Process watch = startAsNobody(fixture, publicKey, classPath, err);
    long startMillis;
    try {
      startMillis = fixture.awaitRecord(20_000, "watch.start");
    } finally {
      watch.destroy();
      watch.waitFor(15, TimeUnit.SECONDS);
    }

    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(startMillis).as(stderr).isNotNegative();
    assertThat(
            fixture.records(
                "watch.start", "\"mechanism\":\"inotify\",\"fanotify_unavailable\":\"EPERM\""))
        .as(stderr)
        .hasSize(1);
    assertThat(stderr).contains("watching with inotify (one watch per directory; fanotify");
  }

  /** Starts {@code telltale watch} with the default mechanism as user nobody. */
  private static Process startAsNobody(
      WatchFixture fixture, Path publicKey, Path classPath, Path err) throws IOException {
    return new ProcessBuilder(
            "setpriv",
            "--reuid=" + NOBODY,
            "--regid=" + NOBODY,
            "--clear-groups",
            "--",
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            classPath.toString(),
            Main.class.getName(),
            "watch",
            "--policy=" + fixture.policyFile,
            "--db=" + fixture.baseline,
            "--root=" + fixture.root,
            "--pub=" + publicKey,
            "--sink=file:" + fixture.log,
            "--state-dir=" + fixture.state,
            "--heartbeat=1")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(err.toFile())
        .start();
  }

  /** Copies the classes and libraries telltale needs where user nobody can read them. */
  private Path copyClassPath() throws Exception {
    Path directory = Files.createDirectories(work.resolve("classpath"));
    List<String> entries = new ArrayList<>();
    Class<?>[] anchors = {
      Main.class,
      picocli.CommandLine.class,
      tools.jackson.core.json.JsonFactory.class,
      Class.forName("org.bouncycastle.crypto.params.Argon2Parameters")
    };
    int index = 0;
    for (Class<?> anchor : anchors) {
      Path source = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path target = directory.resolve(index++ + "-" + source.getFileName());
      copyTree(source, target);
      entries.add(target.toString());
    }
    return Path.of(String.join(File.pathSeparator, entries));
  }

  private static void copyTree(Path source, Path target) throws IOException {
    if (Files.isRegularFile(source)) {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    try (Stream<Path> paths = Files.walk(source)) {
      for (Path path : paths.toList()) {
        Path copy = target.resolve(source.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void command(String... args) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(args).inheritIO().start();
    assertThat(process.waitFor())
        .as("%s (needs root and util-linux)", String.join(" ", args))
        .isZero();
  }
}
