package dev.telltale.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real queue overflow of each mechanism, without changing any system setting: a burst of more
 * events than the default queue holds (fs.inotify.max_queued_events and
 * fs.fanotify.max_queued_events, both 16384) arrives before the watcher reads any.
 */
class WatchOverflowTest {
  /** Mode changes per file. The two files alternate, so that inotify cannot merge the events. */
  private static final int BURST_ROUNDS = 10_000;

  /**
   * Files created in the excluded /srv/cache for fanotify, which merges repeated events on one file
   * however they interleave, but not the creation of different names.
   */
  private static final int FANOTIFY_BURST_FILES = 20_000;

  @TempDir Path work;
  private WatchFixture fixture;

  @AfterEach
  void stopWatching() throws InterruptedException {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void overflowIsSentAsGap() throws Exception {
    fixture = new WatchFixture(work);
    fixture.init();
    fixture.open();
    burst();

    fixture.run();

    assertThat(fixture.awaitRecord(10_000, "watch.gap", "\"gap\":\"queue-overflow\""))
        .isNotNegative();
  }

  @Test
  void rescanAfterOverflowFindsChanges() throws Exception {
    fixture = new WatchFixture(work);
    fixture.init();
    fixture.open();
    burst();

    fixture.run();

    assertThat(fixture.awaitRecord(10_000, "watch.rescan", "\"rescan\":\"queue-overflow\""))
        .isNotNegative();
    assertThat(fixture.records("change", WatchFixture.change("changed", "/srv/a"))).hasSize(1);
    assertThat(fixture.records("change", WatchFixture.change("added", "/srv/x"))).hasSize(1);
  }

  @Test
  void fanotifyOverflowIsSentAsGap() throws Exception {
    fixture = new WatchFixture(work, WatchFixture.Setup.FANOTIFY_FILESYSTEM_MARKS);
    fixture.init();
    fixture.open();
    fanotifyBurst();

    fixture.run();

    assertThat(fixture.awaitRecord(20_000, "watch.gap", "\"gap\":\"queue-overflow\"", "fanotify"))
        .isNotNegative();
  }

  @Test
  void rescanAfterFanotifyOverflowFindsChanges() throws Exception {
    fixture = new WatchFixture(work, WatchFixture.Setup.FANOTIFY_FILESYSTEM_MARKS);
    fixture.init();
    fixture.open();
    fanotifyBurst();

    fixture.run();

    assertThat(fixture.awaitRecord(20_000, "watch.rescan", "\"rescan\":\"queue-overflow\""))
        .isNotNegative();
    assertThat(fixture.records("change", WatchFixture.change("changed", "/srv/a"))).hasSize(1);
    assertThat(fixture.records("change", WatchFixture.change("added", "/srv/x"))).hasSize(1);
  }

  /**
   * Leaves /srv/a with mode 0600 and adds /srv/x, then creates more files in the excluded
   * /srv/cache than the fanotify queue holds: the file system mark queues their events too.
   */
  private void fanotifyBurst() throws IOException {
    Path a = fixture.root.resolve("srv/a");
    Files.setPosixFilePermissions(a, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(fixture.root.resolve("srv/x"), "added in the burst");
    Path cache = fixture.root.resolve("srv/cache");
    for (int i = 0; i < FANOTIFY_BURST_FILES; i++) {
      Files.createFile(cache.resolve("f" + i));
    }
  }

  /** Leaves /srv/a with mode 0600 and adds /srv/x, in more than 16384 events. */
  private void burst() throws IOException {
    Path a = fixture.root.resolve("srv/a");
    Path x = Files.writeString(fixture.root.resolve("srv/x"), "added in the burst");
    Set<PosixFilePermission> open = PosixFilePermissions.fromString("rw-r--r--");
    Set<PosixFilePermission> closed = PosixFilePermissions.fromString("rw-------");
    for (int i = 0; i < BURST_ROUNDS; i++) {
      Files.setPosixFilePermissions(a, i % 2 == 0 ? closed : open);
      Files.setPosixFilePermissions(x, i % 2 == 0 ? closed : open);
    }
    Files.setPosixFilePermissions(a, closed);
  }
}
