package dev.telltale.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The watcher on a real tree, observed through a file sink, with each mechanism. fanotify needs
 * root here, because its file system marks need CAP_SYS_ADMIN.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = WatchFixture.Setup.class, names = "AUTO", mode = EnumSource.Mode.EXCLUDE)
class WatcherTest {
  /** Longer than the debounce delay, so that a second record would have arrived. */
  private static final long SETTLE_MILLIS = 3 * Watcher.MAX_DELAY_MILLIS;

  @Parameter WatchFixture.Setup setup;
  @TempDir Path work;
  private WatchFixture fixture;
  private Path srv;

  @BeforeEach
  void startWatching() throws Exception {
    fixture = new WatchFixture(work, setup);
    fixture.init();
    srv = fixture.root.resolve("srv");
    fixture.open();
    fixture.run();
  }

  @AfterEach
  void stopWatching() throws InterruptedException {
    fixture.close();
  }

  /**
   * Asserts that the change arrives and arrives once. How fast it arrives is measured by
   * bench/watch-latency, not here, so that a loaded test machine cannot fail the test.
   */
  private void assertReportedOnce(String action, String path)
      throws IOException, InterruptedException {
    long millis = fixture.awaitRecord(10_000, "change", WatchFixture.change(action, path));
    assertThat(millis)
        .as("milliseconds until %s %s; %s", action, path, fixture.failure())
        .isNotNegative();
    Thread.sleep(SETTLE_MILLIS);
    assertThat(fixture.records("change", WatchFixture.change(action, path))).hasSize(1);
  }

  @Test
  void startRecordNamesMechanism() throws IOException {
    assertThat(fixture.records("watch.start", setup.startFragment))
        .as(fixture.err.toString())
        .hasSize(1);
  }

  @Test
  void changedFileReportedOnce() throws Exception {
    Files.writeString(srv.resolve("a"), "altered");

    assertReportedOnce("changed", "/srv/a");
  }

  @Test
  void createdFileReportedOnce() throws Exception {
    Files.writeString(srv.resolve("new"), "fresh");

    assertReportedOnce("added", "/srv/new");
  }

  @Test
  void deletedFileReportedOnce() throws Exception {
    Files.delete(srv.resolve("sub/b"));

    assertReportedOnce("removed", "/srv/sub/b");
  }

  @Test
  void renameReportsRemovalOnce() throws Exception {
    Files.move(srv.resolve("a"), srv.resolve("renamed"));

    assertReportedOnce("removed", "/srv/a");
  }

  @Test
  void renameReportsAdditionOnce() throws Exception {
    Files.move(srv.resolve("a"), srv.resolve("renamed"));

    assertReportedOnce("added", "/srv/renamed");
  }

  @Test
  void chmodReportedOnce() throws Exception {
    Files.setPosixFilePermissions(srv.resolve("a"), PosixFilePermissions.fromString("rwx------"));

    assertReportedOnce("changed", "/srv/a");
  }

  @Test
  void directoryMovedInReportedOnce() throws Exception {
    Path outside = Files.createDirectories(work.resolve("outside/moved"));
    Files.writeString(outside.resolve("inner"), "inside");

    Files.move(outside, srv.resolve("moved"));

    assertReportedOnce("added", "/srv/moved/inner");
  }

  @Test
  void directoryMovedInIsWatched() throws Exception {
    Path outside = Files.createDirectories(work.resolve("outside/moved"));
    Files.move(outside, srv.resolve("moved"));
    fixture.awaitRecord(5_000, "change", WatchFixture.change("added", "/srv/moved"));

    Files.writeString(srv.resolve("moved/later"), "written after the move");

    assertReportedOnce("added", "/srv/moved/later");
  }

  @Test
  void createdDirectoryIsWatched() throws Exception {
    Files.createDirectories(srv.resolve("made/deeper"));
    Files.writeString(srv.resolve("made/deeper/file"), "x");

    assertReportedOnce("added", "/srv/made/deeper/file");
  }

  @Test
  void excludedTreeIsNotReported() throws Exception {
    Files.writeString(srv.resolve("cache/noise"), "ignored");
    Files.writeString(srv.resolve("marker"), "after the noise");
    fixture.awaitRecord(5_000, "change", WatchFixture.change("added", "/srv/marker"));

    assertThat(fixture.records("change", "/srv/cache")).isEmpty();
  }

  @Test
  void pathsOfOtherRulesAreNotReported() throws Exception {
    Files.writeString(fixture.root.resolve("opt/c"), "changed, but not realtime");
    Files.writeString(srv.resolve("marker"), "after the other change");
    fixture.awaitRecord(5_000, "change", WatchFixture.change("added", "/srv/marker"));

    assertThat(fixture.records("change", "/opt/c")).isEmpty();
  }

  @Test
  void undoneChmodIsReportedAsReverted() throws Exception {
    Path file = srv.resolve("a");
    var original = Files.getPosixFilePermissions(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    fixture.awaitRecord(5_000, "change", WatchFixture.change("changed", "/srv/a"));

    Files.setPosixFilePermissions(file, original);

    assertThat(fixture.awaitRecord(10_000, "watch.reverted", "\"path\":\"/srv/a\""))
        .isNotNegative();
  }
}
