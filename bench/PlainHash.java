import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The reference point of the benchmark: the least work any integrity checker must do. It reads the
 * metadata of every entry under a directory (without following symlinks or leaving the file
 * system's tree) and SHA-256s every regular file on N threads, then prints the counts.
 *
 * <p>Run with {@code java bench/PlainHash.java DIR THREADS}.
 */
public final class PlainHash {
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    AtomicLong bytes = new AtomicLong();
    List<Path> files = new ArrayList<>();
    long entries = 0;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : (Iterable<Path>) walk::iterator) {
        PosixFileAttributes attributes;
        try {
          attributes =
              Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
          continue;
        }
        entries++;
        if (attributes.isRegularFile()) {
          files.add(path);
        }
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> results = new ArrayList<>();
    for (Path file : files) {
      results.add(
          pool.submit(
              () -> {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[1 << 16];
                try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                  for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                    bytes.addAndGet(n);
                  }
                } catch (IOException e) {
                  return null;
                }
                return digest.digest();
              }));
    }
    for (Future<?> result : results) {
      result.get();
    }
    pool.shutdown();
    System.out.println(entries + " entries, " + files.size() + " files, " + bytes.get() + " bytes");
  }
}
