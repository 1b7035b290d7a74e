package dev.telltale.packages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Copies test fixtures from the class path into a temporary directory. */
final class Fixtures {
  private Fixtures() {}

  static final String MARINER_DB = "rpm/cbl-mariner-2.0.rpmdb.sqlite";
  static final String MARINER_KEY = "rpm/MARINER-RPM-GPG-KEY";
  static final String FIMTEST_DB = "rpm/fimtest-clean.rpmdb.sqlite";
  static final String FIMTEST_KEY = "rpm/RPM-GPG-KEY-fimtest";
  static final String FIMTEST_RPM = "rpm/fimtest-signed.rpm";

  /** Copies one fixture to {@code directory} under its own file name and returns the copy. */
  static Path copy(String name, Path directory) {
    Path target = directory.resolve(Path.of(name).getFileName());
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalStateException("fixture " + name + " is missing from the class path");
      }
      Files.copy(in, target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  /** Reads every header of an rpmdb with the given keys. */
  static List<RpmPackage> readAll(Path database, VendorKeys keys) throws Exception {
    List<RpmPackage> packages = new ArrayList<>();
    HeaderVerifier verifier = new HeaderVerifier(keys);
    RpmDatabase.locate(database.getParent(), database)
        .forEachHeader((number, blob, size) -> packages.add(verifier.read(number, blob)));
    return packages;
  }
}
