package dev.telltale.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telltale.TamperException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BundleManifestTest {
  private static final String DIGEST_A = "a".repeat(64);
  private static final String DIGEST_B = "0123456789abcdef".repeat(4);

  private static BundleManifest parse(String text) throws TamperException {
    return BundleManifest.parse(text.getBytes(StandardCharsets.US_ASCII), "MANIFEST.sha256");
  }

  @Test
  void roundTripKeepsEntries() throws TamperException {
    BundleManifest manifest =
        new BundleManifest(
            List.of(
                new ManifestEntry("bin/telltale", DIGEST_A),
                new ManifestEntry("lib/x.jar", DIGEST_B)));

    assertThat(parse(new String(manifest.toBytes(), StandardCharsets.US_ASCII)))
        .isEqualTo(manifest);
  }

  @Test
  void formatIsSha256sumText() {
    BundleManifest manifest =
        new BundleManifest(List.of(new ManifestEntry("bin/telltale", DIGEST_A)));

    assertThat(new String(manifest.toBytes(), StandardCharsets.US_ASCII))
        .isEqualTo(DIGEST_A + "  bin/telltale\n");
  }

  @Test
  void missingFinalLineFeedIsTamper() {
    assertThatThrownBy(() -> parse(DIGEST_A + "  bin/telltale"))
        .isInstanceOf(TamperException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void emptyManifestIsTamper() {
    assertThatThrownBy(() -> parse("")).isInstanceOf(TamperException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/etc/passwd",
        "../outside",
        "lib/../../outside",
        "lib//x.jar",
        "lib/./x.jar",
        "with space",
        "back\\slash",
        "MANIFEST.sha256",
        "MANIFEST.sha256.sig"
      })
  void invalidPathIsTamperWithLine(String path) {
    assertThatThrownBy(() -> parse(DIGEST_A + "  a\n" + DIGEST_B + "  " + path + "\n"))
        .isInstanceOf(TamperException.class)
        .hasMessageStartingWith("MANIFEST.sha256:2: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ABCDEF", "xyz", ""})
  void invalidDigestIsTamper(String digest) {
    assertThatThrownBy(() -> parse(digest + "  bin/telltale\n"))
        .isInstanceOf(TamperException.class)
        .hasMessageStartingWith("MANIFEST.sha256:1: ");
  }

  @Test
  void upperCaseDigestIsTamper() {
    assertThatThrownBy(() -> parse(DIGEST_B.toUpperCase(java.util.Locale.ROOT) + "  a\n"))
        .isInstanceOf(TamperException.class)
        .hasMessageContaining("lower-case hex");
  }

  @Test
  void singleSpaceSeparatorIsTamper() {
    assertThatThrownBy(() -> parse(DIGEST_A + " bin/telltale\n"))
        .isInstanceOf(TamperException.class);
  }

  @Test
  void duplicatePathIsTamper() {
    assertThatThrownBy(() -> parse(DIGEST_A + "  a\n" + DIGEST_B + "  a\n"))
        .isInstanceOf(TamperException.class)
        .hasMessageContaining("out of order");
  }

  @Test
  void unsortedPathsAreTamper() {
    assertThatThrownBy(() -> parse(DIGEST_A + "  b\n" + DIGEST_B + "  a\n"))
        .isInstanceOf(TamperException.class)
        .hasMessageStartingWith("MANIFEST.sha256:2: ");
  }

  @Test
  void nonAsciiByteIsTamper() {
    byte[] bytes = (DIGEST_A + "  \u00e9\n").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> BundleManifest.parse(bytes, "m"))
        .isInstanceOf(TamperException.class)
        .hasMessageContaining("non-ASCII");
  }

  @Test
  void oversizedManifestIsTamper() {
    byte[] bytes = new byte[BundleManifest.MAX_BYTES + 1];

    assertThatThrownBy(() -> BundleManifest.parse(bytes, "m"))
        .isInstanceOf(TamperException.class)
        .hasMessageContaining("maximum");
  }

  @Test
  void tooManyLinesAreTamper() {
    String text = "\n".repeat(BundleManifest.MAX_ENTRIES + 1);

    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(TamperException.class)
        .hasMessageContaining("lines");
  }
}
