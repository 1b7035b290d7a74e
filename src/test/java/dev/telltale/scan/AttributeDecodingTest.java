package dev.telltale.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AttributeDecodingTest {
  private static byte[] littleEndian(int... words) {
    ByteBuffer buffer = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int word : words) {
      buffer.putInt(word);
    }
    return buffer.array();
  }

  @Test
  void capabilityUnknownBitIsNumber() throws Exception {
    // Revision 2 with the effective flag, permitting bit 13 (cap_net_raw) and bit 45, unnamed.
    byte[] value = littleEndian(0x02000001, 1 << 13, 0, 1 << 13, 0);

    assertThat(FileCapabilities.decode(value)).isEqualTo("cap_net_raw,45=ep");
  }

  @Test
  void capabilityInheritableOnlyHasNoP() throws Exception {
    byte[] value = littleEndian(0x02000000, 0, 1 << 25, 0, 0);

    assertThat(FileCapabilities.decode(value)).isEqualTo("cap_sys_time=i");
  }

  @Test
  void capabilityRevision3ShowsRootId() throws Exception {
    byte[] value = littleEndian(0x03000001, 1, 0, 0, 0, 1000);

    assertThat(FileCapabilities.decode(value)).isEqualTo("cap_chown=ep rootid=1000");
  }

  @Test
  void capabilityTruncatedIsRejected() {
    byte[] value = littleEndian(0x02000001, 1, 0, 0);

    assertThatThrownBy(() -> FileCapabilities.decode(value))
        .isInstanceOf(AttributeDecodeException.class)
        .hasMessageContaining("expected 20");
  }

  @Test
  void capabilityUnknownRevisionIsRejected() {
    assertThatThrownBy(() -> FileCapabilities.decode(littleEndian(0x09000000, 0, 0)))
        .isInstanceOf(AttributeDecodeException.class)
        .hasMessageContaining("revision 9");
  }

  @Test
  void aclPartialEntryIsRejected() {
    byte[] value = new byte[13];
    value[0] = 2;

    assertThatThrownBy(() -> PosixAcl.decode(value, ""))
        .isInstanceOf(AttributeDecodeException.class)
        .hasMessageContaining("13 bytes");
  }

  @Test
  void aclUnknownTagIsRejected() {
    byte[] value = littleEndian(2, 0x40 | 7 << 16, 0);

    assertThatThrownBy(() -> PosixAcl.decode(value, ""))
        .isInstanceOf(AttributeDecodeException.class)
        .hasMessageContaining("tag 64");
  }

  @Test
  void aclNamedGroupIsDecoded() throws Exception {
    byte[] value = littleEndian(2, 0x01 | 6 << 16, -1, 0x08 | 5 << 16, 50, 0x20, -1);

    assertThat(PosixAcl.decode(value, "default:"))
        .isEqualTo("default:u::rw-,default:g:50:r-x,default:o::---");
  }

  @Test
  void nameTableSkipsMalformedLines() {
    String passwd =
        "::0:0\nnoid:x:\nbig:x:4294967296:0\nneg:x:-1:0\nfirst:x:7:7\nsecond:x:7:7\n"
            + "x".repeat(300)
            + ":x:8:8\ntab\tuser:x:9:9";

    NameTable table = NameTable.parse(passwd.getBytes(StandardCharsets.UTF_8));

    assertThat(table.nameOf(0)).isNull();
    assertThat(table.nameOf(4294967296L)).isNull();
    assertThat(table.nameOf(7)).isEqualTo("first");
    assertThat(table.nameOf(8)).isNull();
    assertThat(table.nameOf(9)).isEqualTo("tab%09user");
  }

  @Test
  void inodeFlagsNameKnownBitsAndHexOthers() {
    assertThat(InodeFlags.names(0x10 | 0x80000 | 0x80000000))
        .isEqualTo("immutable,extents,0x80000000");
  }

  @Test
  void inodeFlagsEmptyForZero() {
    assertThat(InodeFlags.names(0)).isEmpty();
  }
}
