package dev.telltale.cli;

import dev.telltale.TelltaleException;
import dev.telltale.UsageException;
import dev.telltale.alert.Alerts;
import dev.telltale.crypto.VerifyKey;
import dev.telltale.watch.Mechanism;
import dev.telltale.watch.Watcher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Watch the paths of the policy's realtime rules and report each change as it happens.",
      "Verifies the baseline's signature, compares the realtime paths with it once, then sends"
          + " every change to standard output and the sinks within a second. Runs until stopped"
          + " with SIGTERM or SIGINT, which it reports as a watch.stop record."
    })
final class WatchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TargetOptions target;
  @Mixin KeyOptions keys;
  @Mixin SinkOptions sinkOptions;

  @Option(
      names = "--pub",
      paramLabel = "FILE",
      description =
          "Public key file that verifies the baseline. Default: telltale.pub in the key directory.")
  Path publicKeyFile;

  @Option(
      names = "--heartbeat",
      paramLabel = "SECONDS",
      description =
          "Send a heartbeat record to the sinks every SECONDS seconds; 0 sends none."
              + " Default: ${DEFAULT-VALUE}.",
      defaultValue = "300")
  long heartbeatSeconds;

  @Option(
      names = "--mechanism",
      paramLabel = "MECHANISM",
      description =
          "Kernel interface that reports changes: auto, fanotify or inotify. auto uses fanotify"
              + " with one mark per file system where the kernel (5.9 or later) and CAP_SYS_ADMIN"
              + " allow it, inotify otherwise. Default: ${DEFAULT-VALUE}.",
      defaultValue = "auto",
      converter = MechanismConverter.class)
  Mechanism mechanism;

  /** Accepts the mechanism names in lower case, as the help text gives them. */
  static final class MechanismConverter implements picocli.CommandLine.ITypeConverter<Mechanism> {
    @Override
    public Mechanism convert(String value) {
      for (Mechanism candidate : Mechanism.values()) {
        if (candidate.name().equalsIgnoreCase(value)) {
          return candidate;
        }
      }
      throw new picocli.CommandLine.TypeConversionException(
          "'" + value + "' is not a mechanism: give auto, fanotify or inotify");
    }
  }

  @Override
  public Integer call() throws TelltaleException {
    if (heartbeatSeconds < 0 || heartbeatSeconds > 86_400) {
      throw new UsageException(
          "--heartbeat " + heartbeatSeconds + " is out of range: give 0 to 86400 seconds");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    VerifyKey key = keys.verifyKey(publicKeyFile);
    List<String> sinkUris = sinkOptions.sinkUris();
    Alerts alerts = sinkUris.isEmpty() ? null : Alerts.open(sinkUris, sinkOptions.stateDirectory());
    Alerts.HeartbeatTimer heartbeats = null;
    CountDownLatch finished = new CountDownLatch(1);
    try (Watcher watcher =
        Watcher.start(
            target.policy(),
            target.root(),
            target.baseline(),
            key,
            VersionProvider.version(),
            mechanism,
            alerts,
            out,
            err)) {
      if (alerts != null && heartbeatSeconds > 0) {
        heartbeats = alerts.startHeartbeats(Duration.ofSeconds(heartbeatSeconds));
      }
      Thread hook =
          Thread.ofPlatform()
              .name("telltale-watch-stop")
              .unstarted(() -> stopAndWait(watcher, finished));
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        watcher.run();
      } finally {
        removeHook(hook);
      }
      err.println("telltale: watch stopped");
      return 0;
    } finally {
      if (heartbeats != null) {
        heartbeats.close();
      }
      if (alerts != null) {
        alerts.close();
      }
      err.flush();
      finished.countDown();
    }
  }

  /** Stops the watch on SIGTERM or SIGINT and waits until its stop record is sent. */
  private static void stopAndWait(Watcher watcher, CountDownLatch finished) {
    watcher.stop("signal");
    try {
      finished.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down, and the hook is what stopped the watch.
    }
  }
}
