package dev.telltale.packages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The four rpmdb attacks that fool rpm -V (rpm 4.18), each reported by telltale. */
class RpmAttackTest {
  @TempDir Path temp;
  private ScratchRoot scratch;
  private Path key;
  private StringWriter out;

  @BeforeEach
  void installFimtest() throws Exception {
    scratch = ScratchRoot.install(temp);
    key = Fixtures.copy(Fixtures.FIMTEST_KEY, temp);
  }

  private int telltale(String... extra) {
    out = new StringWriter();
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "packages",
                "verify",
                "--root",
                scratch.root.toString(),
                "--keyring",
                key.toString()));
    args.addAll(List.of(extra));
    return Main.run(
        new PrintWriter(out), new PrintWriter(new StringWriter()), args.toArray(String[]::new));
  }

  private void appendToFimtest() throws Exception {
    Files.writeString(
        scratch.root.resolve("usr/bin/fimtest"), "#!/bin/sh\necho evil\n", StandardCharsets.UTF_8);
  }

  /** Returns the FILEDIGESTS bytes with the digest of /usr/bin/fimtest replaced by the evil one. */
  private byte[] digestsMatchingEvil(RpmHeader header) throws Exception {
    List<byte[]> digests = header.byteStrings(header.signedEntry(RpmTag.FILEDIGESTS));
    List<byte[]> names = header.byteStrings(header.signedEntry(RpmTag.BASENAMES));
    String evil =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(scratch.root.resolve("usr/bin/fimtest"))));
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (int i = 0; i < digests.size(); i++) {
      boolean target = new String(names.get(i), StandardCharsets.UTF_8).equals("fimtest");
      data.writeBytes(target ? evil.getBytes(StandardCharsets.US_ASCII) : digests.get(i));
      data.write(0);
    }
    return data.toByteArray();
  }

  @Test
  void cleanRootVerifies() throws Exception {
    assertThat(telltale()).as(out.toString()).isZero();
  }

  @Test
  void shadowingUnsignedDigestIsTamper() throws Exception {
    long number = scratch.fimtestHeaderNumber();
    appendToFimtest();
    RpmHeader header = RpmHeader.parse(scratch.blob(number));
    byte[] digests = digestsMatchingEvil(header);
    int count = header.signedEntry(RpmTag.FILEDIGESTS).count();
    scratch.replaceBlob(
        number,
        ScratchRoot.rebuild(
            scratch.blob(number), List.of(), RpmTag.FILEDIGESTS, 8, count, digests));
    // NOTE: rpm -V's reaction is recorded, not asserted, because it depends on rpm's version.
    ScratchRoot.Result rpm = scratch.rpmVerify();
    assertThat(telltale()).as(out.toString() + "\nrpm -V said:\n" + rpm.output()).isEqualTo(20);
    assertThat(out.toString()).contains("unsigned entry shadows a signed tag: tag 1035");
  }

  @Test
  void notInstalledStateIsStillChecked() throws Exception {
    long number = scratch.fimtestHeaderNumber();
    appendToFimtest();
    byte[] blob = scratch.blob(number);
    RpmHeader header = RpmHeader.parse(blob);
    RpmHeader.IndexEntry states = header.unsignedEntry(RpmTag.FILESTATES);
    int at = ScratchRoot.dataOffset(header, states);
    for (int i = 0; i < states.count(); i++) {
      blob[at + i] = 2;
    }
    scratch.replaceBlob(number, blob);
    ScratchRoot.Result rpm = scratch.rpmVerify();
    assertThat(rpm.output())
        .as("rpm -V skips files marked not installed")
        .doesNotContain("/usr/bin/fimtest");
    assertThat(telltale()).as(out.toString()).isEqualTo(4);
    assertThat(out.toString()).contains("S.5....T.    /usr/bin/fimtest");
    assertThat(out.toString()).contains("'not installed'");
  }

  @Test
  void strippedSignatureWithEditedRegionIsTamper() throws Exception {
    long number = scratch.fimtestHeaderNumber();
    appendToFimtest();
    byte[] blob = scratch.blob(number);
    RpmHeader header = RpmHeader.parse(blob);
    byte[] digests = digestsMatchingEvil(header);
    System.arraycopy(
        digests,
        0,
        blob,
        ScratchRoot.dataOffset(header, header.signedEntry(RpmTag.FILEDIGESTS)),
        digests.length);
    byte[] stripped =
        ScratchRoot.rebuild(
            blob,
            List.of(
                RpmTag.RSAHEADER,
                RpmTag.DSAHEADER,
                RpmTag.SHA1HEADER,
                RpmTag.SHA256HEADER,
                261,
                257),
            0,
            0,
            0,
            new byte[0]);
    scratch.replaceBlob(number, stripped);
    ScratchRoot.Result rpm = scratch.rpmVerify();
    assertThat(rpm.output())
        .as("rpm -V trusts the edited digest")
        .doesNotContain("/usr/bin/fimtest");
    assertThat(telltale()).as(out.toString()).isEqualTo(20);
    assertThat(out.toString()).contains("package fimtest-1.0-1.noarch: signature missing");
  }

  @Test
  void editedRegionIsTamperNotHidden() throws Exception {
    long number = scratch.fimtestHeaderNumber();
    byte[] blob = scratch.blob(number);
    RpmHeader header = RpmHeader.parse(blob);
    blob[ScratchRoot.dataOffset(header, header.signedEntry(RpmTag.FILEDIGESTS))] ^= 0x01;
    scratch.replaceBlob(number, blob);
    ScratchRoot.Result rpm = scratch.rpmVerify();
    assertThat(rpm.output())
        .as("rpm drops the header from its package list")
        .contains("not installed");
    assertThat(telltale()).as(out.toString()).isEqualTo(20);
    assertThat(out.toString()).contains("package fimtest-1.0-1.noarch: signature bad");
  }
}
