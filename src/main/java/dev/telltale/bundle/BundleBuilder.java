package dev.telltale.bundle;

import dev.telltale.TelltaleException;
import dev.telltale.cli.Main;
import dev.telltale.cli.VersionProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Build-time steps of {@code ./mvnw -Pbundle package}, run after jlink has written {@code runtime/}
 * into the bundle directory.
 *
 * <pre>
 * BundleBuilder assemble PROJECT_DIR BUNDLE_DIR JAR LIB_DIR
 * BundleBuilder seal BUNDLE_DIR [SIGNING_KEY_PEM]
 * </pre>
 *
 * <p>{@code assemble} copies the jars, the launcher, docs, policies and systemd units, generates
 * man pages and completion from the picocli model, and records the AOT cache with a training run.
 * {@code seal} writes {@code MANIFEST.sha256} over every file and, given a key, signs it. Any
 * failure ends the build with a non-zero exit.
 */
public final class BundleBuilder {
  /**
   * Options of the bundled JVM. The launcher and the AOT training run use the same list, because
   * the JVM ignores an AOT cache recorded with another garbage collector.
   */
  static final List<String> JAVA_OPTIONS =
      List.of(
          // No hsperfdata files in /tmp: the bundle writes only to paths that the user names.
          "-XX:-UsePerfData",
          "-XX:+ErrorFileToStderr",
          // A scan keeps little in memory, so the serial collector, which starts fastest, suffices.
          "-XX:+UseSerialGC",
          // A scan streams its entries, so its heap need does not grow with the tree; bench/memory
          // measures the peak resident size with this cap (docs/benchmarks.md has the results).
          "-Xmx128m",
          // JVM warnings (for example an AOT cache that does not fit) must not reach reports.
          "-Xlog:disable",
          "-Xlog:all=warning:stderr",
          "--enable-native-access=ALL-UNNAMED");

  static final String AOT_CACHE = "lib/telltale.aot";
  static final String SQLITE_NATIVE = "lib/native/libsqlitejdbc.so";
  private static final String SQLITE_NATIVE_IN_JAR =
      "org/sqlite/native/Linux/x86_64/libsqlitejdbc.so";
  private static final Set<PosixFilePermission> EXECUTABLE =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final long TRAINING_TIMEOUT_SECONDS = 120;

  private BundleBuilder() {}

  /** Runs one build step; see the class comment for the arguments. */
  public static void main(String[] args)
      throws IOException, TelltaleException, InterruptedException {
    if (args.length == 4 && args[0].equals("assemble")) {
      assemble(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
    } else if ((args.length == 2 || args.length == 3) && args[0].equals("seal")) {
      String key = args.length == 3 ? args[2].strip() : "";
      seal(Path.of(args[1]), key.isEmpty() ? null : Path.of(key));
    } else {
      throw new IllegalArgumentException(
          "usage: BundleBuilder assemble PROJECT_DIR BUNDLE_DIR JAR"
              + " | seal BUNDLE_DIR [SIGNING_KEY_PEM]; got "
              + List.of(args));
    }
  }

  /**
   * Assembles the bundle around {@code jar}, which contains telltale with its dependencies (the
   * shaded jar of the build).
   */
  static void assemble(Path project, Path bundle, Path jar)
      throws IOException, InterruptedException {
    Path runtime = bundle.resolve("runtime");
    if (!Files.isExecutable(runtime.resolve("bin/java"))) {
      throw new IOException(runtime + "/bin/java is missing: run jlink before assemble");
    }
    replaceSymbolicLinks(runtime);

    Path lib = Files.createDirectories(bundle.resolve("lib"));
    Files.copy(jar, lib.resolve("telltale.jar"), StandardCopyOption.REPLACE_EXISTING);
    List<String> classPath = List.of("lib/telltale.jar");
    extractSqliteNative(jar, bundle.resolve(SQLITE_NATIVE));
    writeLauncher(
        project.resolve("src/main/dist/bin/telltale"), bundle.resolve("bin/telltale"), classPath);

    writeGeneratedDocs(bundle);
    Path docs = Files.createDirectories(bundle.resolve("share/doc/telltale"));
    Path readme = project.resolve("README.md");
    if (Files.isRegularFile(readme)) {
      Files.copy(readme, docs.resolve("README.md"), StandardCopyOption.REPLACE_EXISTING);
    }
    copyFiles(project.resolve("docs"), docs, ".md");
    copyFiles(project.resolve("src/main/dist/systemd"), bundle.resolve("systemd"), "");
    copyFiles(project.resolve("src/main/dist/policies"), bundle.resolve("policies"), "");
    copyPolicyResources(project.resolve("src/main/resources"), bundle.resolve("policies"));

    recordAotCache(bundle, classPath);
  }

  /**
   * Replaces each symbolic link (jlink links duplicate legal notices) by a copy of its target, so
   * that every file of the bundle is a regular file that the manifest can vouch for.
   */
  private static void replaceSymbolicLinks(Path directory) throws IOException {
    List<Path> links;
    try (Stream<Path> walk = Files.walk(directory)) {
      links = walk.filter(Files::isSymbolicLink).toList();
    }
    for (Path link : links) {
      Path target = link.toRealPath();
      if (!target.startsWith(directory.toRealPath())) {
        throw new IOException(link + " points outside the runtime, to " + target);
      }
      Files.delete(link);
      Files.copy(target, link, StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  private static List<Path> sortedFiles(Path directory, String suffix) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(directory)) {
      return list.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
          .filter(path -> path.getFileName().toString().endsWith(suffix))
          .sorted()
          .toList();
    }
  }

  private static void copyFiles(Path from, Path to, String suffix) throws IOException {
    List<Path> files = sortedFiles(from, suffix);
    if (!files.isEmpty()) {
      Files.createDirectories(to);
    }
    for (Path file : files) {
      Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Copies the default policies that ship inside the jar, so the user can read and edit them. */
  private static void copyPolicyResources(Path resources, Path to) throws IOException {
    if (!Files.isDirectory(resources)) {
      return;
    }
    List<Path> policies;
    try (Stream<Path> walk = Files.walk(resources)) {
      policies =
          walk.filter(path -> path.getFileName().toString().endsWith(".policy")).sorted().toList();
    }
    for (Path policy : policies) {
      Files.createDirectories(to);
      Files.copy(policy, to.resolve(policy.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Extracts sqlite-jdbc's Linux x86_64 library, which sqlite-jdbc would otherwise unpack into the
   * temporary directory at run time; the launcher points it here instead.
   */
  private static void extractSqliteNative(Path jar, Path target) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry entry = zip.getEntry(SQLITE_NATIVE_IN_JAR);
      if (entry == null) {
        throw new IOException(jar + " has no " + SQLITE_NATIVE_IN_JAR);
      }
      Files.createDirectories(target.getParent());
      try (InputStream in = zip.getInputStream(entry)) {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static void writeLauncher(Path template, Path launcher, List<String> classPath)
      throws IOException {
    String text = Files.readString(template, StandardCharsets.UTF_8);
    List<String> quotedClassPath = classPath.stream().map(entry -> "$home/" + entry).toList();
    text = replaceOnce(text, "@CLASSPATH@", String.join(":", quotedClassPath));
    text = replaceOnce(text, "@JAVA_OPTIONS@", String.join(" ", JAVA_OPTIONS));
    text = replaceOnce(text, "@AOT_CACHE@", AOT_CACHE);
    text = replaceOnce(text, "@SQLITE_NATIVE_DIR@", Path.of(SQLITE_NATIVE).getParent().toString());
    Files.createDirectories(launcher.getParent());
    Files.writeString(launcher, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(launcher, EXECUTABLE);
  }

  private static String replaceOnce(String text, String placeholder, String value)
      throws IOException {
    int at = text.indexOf(placeholder);
    if (at < 0 || text.indexOf(placeholder, at + 1) >= 0) {
      throw new IOException("launcher template must contain " + placeholder + " exactly once");
    }
    return text.replace(placeholder, value);
  }

  /** Writes the man pages and the shell completion, both generated from the picocli model. */
  static void writeGeneratedDocs(Path bundle) throws IOException {
    CommandLine commandLine =
        Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    Path manDirectory = Files.createDirectories(bundle.resolve("share/man/man1"));
    for (ManPage.Page page : ManPage.renderAll(commandLine, VersionProvider.version())) {
      Files.writeString(
          manDirectory.resolve(page.fileName()), page.troff(), StandardCharsets.UTF_8);
    }
    Path bash = bundle.resolve("share/bash-completion/completions/telltale");
    Files.createDirectories(bash.getParent());
    Files.writeString(bash, AutoComplete.bash("telltale", commandLine), StandardCharsets.UTF_8);
    // picocli's script also runs in zsh once bashcompinit is loaded; this file does both.
    Path zsh = bundle.resolve("share/zsh/site-functions/telltale.zsh");
    Files.createDirectories(zsh.getParent());
    Files.writeString(
        zsh,
        """
        # Completion for telltale in zsh: picocli's bash script through bashcompinit.
        # Source this file from ~/.zshrc after compinit.
        autoload -U +X bashcompinit && bashcompinit
        source "${0:A:h}/../../bash-completion/completions/telltale"
        """,
        StandardCharsets.UTF_8);
  }

  /**
   * Records the ahead-of-time cache (JEP 514) with a training run of {@code --help}, at build time
   * because the bundle must not write at run time. The JVM validates the cache against the class
   * path jars and ignores it with a warning when they differ.
   */
  private static void recordAotCache(Path bundle, List<String> classPath)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(bundle.resolve("runtime/bin/java").toString());
    command.addAll(JAVA_OPTIONS);
    command.add("-XX:AOTCacheOutput=" + bundle.resolve(AOT_CACHE));
    command.add("-Dorg.sqlite.lib.path=" + bundle.resolve(SQLITE_NATIVE).getParent());
    command.add("-Dorg.sqlite.lib.name=libsqlitejdbc.so");
    command.add("-cp");
    command.add(
        String.join(
            ":", classPath.stream().map(entry -> bundle.resolve(entry).toString()).toList()));
    command.add(Main.class.getName());
    command.add("--help");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!process.waitFor(TRAINING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(
          "AOT training run timed out after " + TRAINING_TIMEOUT_SECONDS + " s: " + command);
    }
    if (process.exitValue() != 0 || !Files.isRegularFile(bundle.resolve(AOT_CACHE))) {
      throw new IOException(
          "AOT training run failed with exit " + process.exitValue() + ": " + command);
    }
  }

  /**
   * Writes {@code MANIFEST.sha256} over every file of the bundle and, given a signing key, the
   * embedded public key and {@code MANIFEST.sha256.sig}.
   */
  static void seal(Path bundle, Path signingKey) throws IOException, TelltaleException {
    for (String name :
        List.of(
            BundleManifest.FILE_NAME,
            BundleManifest.SIGNATURE_FILE_NAME,
            BundleManifest.PUBLIC_KEY_FILE_NAME)) {
      Files.deleteIfExists(bundle.resolve(name));
    }
    PrivateKey privateKey = null;
    if (signingKey != null) {
      privateKey = ManifestSignature.readPrivateKey(signingKey);
      PublicKey publicKey = ManifestSignature.publicKeyOf(privateKey);
      Files.write(
          bundle.resolve(BundleManifest.PUBLIC_KEY_FILE_NAME), ManifestSignature.toPem(publicKey));
    }
    byte[] manifest = compute(bundle).toBytes();
    Files.write(bundle.resolve(BundleManifest.FILE_NAME), manifest);
    if (privateKey != null) {
      Files.write(
          bundle.resolve(BundleManifest.SIGNATURE_FILE_NAME),
          ManifestSignature.sign(privateKey, manifest));
    }
  }

  /**
   * Computes the manifest of a bundle directory.
   *
   * @throws IOException if a file cannot be read, or an entry is not a regular file or has a name
   *     that a manifest cannot hold
   */
  public static BundleManifest compute(Path bundle) throws IOException {
    BundleTree.Listing listing = BundleTree.list(bundle);
    if (!listing.unreadable().isEmpty()) {
      throw new IOException("cannot read " + listing.unreadable());
    }
    Map<String, String> digests = new TreeMap<>();
    for (var entry : listing.entries().entrySet()) {
      String path = entry.getKey();
      if (BundleManifest.isManifestFile(path)) {
        continue;
      }
      if (entry.getValue() != BundleTree.Kind.REGULAR) {
        throw new IOException(bundle.resolve(path) + " is not a regular file");
      }
      String problem = ManifestEntry.pathProblem(path);
      if (problem != null) {
        throw new IOException(bundle.resolve(path) + ": " + problem);
      }
      digests.put(path, BundleTree.sha256(bundle.resolve(path)));
    }
    List<ManifestEntry> entries = new ArrayList<>();
    digests.forEach((path, sha256) -> entries.add(new ManifestEntry(path, sha256)));
    return new BundleManifest(entries);
  }
}
