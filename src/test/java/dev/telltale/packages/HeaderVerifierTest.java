package dev.telltale.packages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.packages.HeaderFinding.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeaderVerifierTest {
  @TempDir Path temp;

  private VendorKeys marinerKeys() throws Exception {
    return VendorKeys.load(List.of(Fixtures.copy(Fixtures.MARINER_KEY, temp)));
  }

  private Map<Long, byte[]> blobs(Path database) throws Exception {
    Map<Long, byte[]> blobs = new TreeMap<>();
    RpmDatabase.locate(temp, database)
        .forEachHeader((number, blob, size) -> blobs.put(number, blob));
    return blobs;
  }

  @Test
  void marinerHeadersAllVerify() throws Exception {
    List<RpmPackage> packages =
        Fixtures.readAll(Fixtures.copy(Fixtures.MARINER_DB, temp), marinerKeys());
    assertThat(packages).hasSize(129);
    assertThat(packages).allSatisfy(p -> assertThat(p.findings()).isEmpty());
    assertThat(packages).allSatisfy(p -> assertThat(p.signerKeyId()).isEqualTo("0CD9FED33135CE90"));
  }

  @Test
  void marinerFilesComeFromSignedRegion() throws Exception {
    List<RpmPackage> packages =
        Fixtures.readAll(Fixtures.copy(Fixtures.MARINER_DB, temp), marinerKeys());
    RpmPackage bash =
        packages.stream().filter(p -> p.nevra().startsWith("bash-5")).findFirst().orElseThrow();
    assertThat(bash.files())
        .anySatisfy(f -> assertThat(f.file().path().toString()).isEqualTo("/bin/bash"));
  }

  @Test
  void flippedByteInAnyMarinerHeaderIsReported() throws Exception {
    VendorKeys keys = marinerKeys();
    HeaderVerifier verifier = new HeaderVerifier(keys);
    List<String> missed = new ArrayList<>();
    for (Map.Entry<Long, byte[]> header :
        blobs(Fixtures.copy(Fixtures.MARINER_DB, temp)).entrySet()) {
      byte[] blob = header.getValue().clone();
      RpmHeader parsed = RpmHeader.parse(blob);
      // Flip a byte in the middle of the signed data, past the index.
      int regionIndexEnd = 8 + 16 * parsed.entries().size();
      int position = regionIndexEnd + parsed.signedEntry(RpmTag.NAME).offset();
      blob[position] ^= 0x01;
      RpmPackage result = verifier.read(header.getKey(), blob);
      if (result.verified()) {
        missed.add(result.nevra());
      }
    }
    assertThat(missed).isEmpty();
  }

  @Test
  void flippedSignatureByteIsBad() throws Exception {
    Map<Long, byte[]> blobs = blobs(Fixtures.copy(Fixtures.MARINER_DB, temp));
    byte[] blob = blobs.values().iterator().next().clone();
    RpmHeader parsed = RpmHeader.parse(blob);
    RpmHeader.IndexEntry signature = parsed.unsignedEntry(RpmTag.RSAHEADER);
    int position =
        8 + 16 * parsed.entries().size() + signature.offset() + signature.lengthBytes() - 3;
    blob[position] ^= 0x40;
    RpmPackage result = new HeaderVerifier(marinerKeys()).read(1, blob);
    assertThat(result.findings()).extracting(HeaderFinding::kind).contains(Kind.SIGNATURE_BAD);
  }

  @Test
  void wrongKeyIsUnknownKey() throws Exception {
    VendorKeys other = VendorKeys.load(List.of(Fixtures.copy(Fixtures.FIMTEST_KEY, temp)));
    List<RpmPackage> packages = Fixtures.readAll(Fixtures.copy(Fixtures.MARINER_DB, temp), other);
    assertThat(packages)
        .allSatisfy(
            p ->
                assertThat(p.findings())
                    .extracting(HeaderFinding::kind)
                    .containsExactly(Kind.SIGNATURE_UNKNOWN_KEY));
  }

  @Test
  void fimtestHeaderVerifies() throws Exception {
    VendorKeys keys = VendorKeys.load(List.of(Fixtures.copy(Fixtures.FIMTEST_KEY, temp)));
    List<RpmPackage> packages = Fixtures.readAll(Fixtures.copy(Fixtures.FIMTEST_DB, temp), keys);
    RpmPackage fimtest =
        packages.stream().filter(p -> p.nevra().startsWith("fimtest")).findFirst().orElseThrow();
    assertThat(fimtest.verified()).isTrue();
    assertThat(fimtest.nevra()).isEqualTo("fimtest-1.0-1.noarch");
  }
}
