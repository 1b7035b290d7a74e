package dev.telltale.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The choice of mechanism at start, as root (the fallback for other users is in a process test).
 */
class WatchMechanismTest {
  @TempDir Path work;

  @Test
  void autoChoosesFanotifyAsRoot() throws Exception {
    WatchFixture fixture = new WatchFixture(work, WatchFixture.Setup.AUTO);
    fixture.init();
    try {
      fixture.open();

      assertThat(fixture.records("watch.start", WatchFixture.Setup.AUTO.startFragment))
          .as("%s (needs root for fanotify file system marks)", fixture.err)
          .hasSize(1);
    } finally {
      fixture.close();
    }
  }

  @Test
  void autoStartLineNamesFanotify() throws Exception {
    WatchFixture fixture = new WatchFixture(work, WatchFixture.Setup.AUTO);
    fixture.init();
    try {
      fixture.open();

      assertThat(fixture.err.toString())
          .contains("watching with fanotify (one mark per file system, 1 marked)");
    } finally {
      fixture.close();
    }
  }

  @Test
  void unknownMechanismIsUsageError() {
    StringWriter err = new StringWriter();

    int code =
        Main.run(
            new PrintWriter(new StringWriter()),
            new PrintWriter(err),
            "watch",
            "--mechanism=dnotify");

    assertThat(code).as(err.toString()).isEqualTo(16);
  }
}
