package dev.telltale.packages;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One RPM header as stored in the rpmdb: an index of 16-byte entries followed by a data store.
 *
 * <p>Layout (all integers big-endian): {@code il} (int32, number of index entries), {@code dl}
 * (int32, data store length), {@code il} index entries of {@code tag, type, offset, count}, then
 * {@code dl} bytes of data. The first entry of a signed main header is the region tag 63 (binary,
 * 16 bytes). Its data is a copy of an index entry, the region trailer, whose offset is minus 16
 * times the number of index entries in the region. Those first entries and the data up to and
 * including the trailer form the immutable region that the vendor's signature covers. Entries after
 * the region were added at install time and are not signed.
 *
 * <p>Parsing checks every count, offset, type and alignment against the blob before any value is
 * read, so a hostile header raises {@link RpmHeaderException} and never an unchecked exception.
 */
public final class RpmHeader {
  /** rpm's own limit on the number of index entries in one header. */
  static final int MAX_INDEX_ENTRIES = 0xFFFF;

  /** rpm's own limit on the data store of one header: 256 MiB. */
  static final int MAX_DATA_BYTES = 256 * 1024 * 1024;

  static final int TYPE_CHAR = 1;
  static final int TYPE_INT8 = 2;
  static final int TYPE_INT16 = 3;
  static final int TYPE_INT32 = 4;
  static final int TYPE_INT64 = 5;
  static final int TYPE_STRING = 6;
  static final int TYPE_BIN = 7;
  static final int TYPE_STRING_ARRAY = 8;
  static final int TYPE_I18NSTRING = 9;

  private static final int ENTRY_BYTES = 16;
  private static final byte[] HEADER_MAGIC = {(byte) 0x8e, (byte) 0xad, (byte) 0xe8, 1, 0, 0, 0, 0};

  /**
   * One index entry.
   *
   * @param tag the tag number
   * @param type the data type, 1 to 9
   * @param offset the start of the value in the data store
   * @param count the number of elements (bytes for binary data)
   * @param lengthBytes the length of the value in the data store, computed while parsing
   * @param signed whether the entry lies inside the immutable region
   */
  public record IndexEntry(
      int tag, int type, int offset, int count, int lengthBytes, boolean signed) {}

  private final byte[] blob;
  private final int dataStart;
  private final List<IndexEntry> entries;
  private final int regionEntryCount;
  private final int regionDataLength;

  private RpmHeader(
      byte[] blob,
      int dataStart,
      List<IndexEntry> entries,
      int regionEntryCount,
      int regionDataLength) {
    this.blob = blob;
    this.dataStart = dataStart;
    this.entries = entries;
    this.regionEntryCount = regionEntryCount;
    this.regionDataLength = regionDataLength;
  }

  /**
   * Parses a header blob as the rpmdb stores it, without the 8-byte magic that precedes headers in
   * package files.
   *
   * @throws RpmHeaderException if any count, offset, type or alignment is out of bounds, naming the
   *     offset in the blob
   */
  public static RpmHeader parse(byte[] blob) throws RpmHeaderException {
    if (blob.length < 8) {
      throw new RpmHeaderException(
          "header is " + blob.length + " bytes, shorter than its 8-byte preamble");
    }
    long indexCount = readUnsigned32(blob, 0);
    long dataLength = readUnsigned32(blob, 4);
    if (indexCount < 1 || indexCount > MAX_INDEX_ENTRIES) {
      throw new RpmHeaderException(
          "offset 0: index entry count " + indexCount + " is outside 1.." + MAX_INDEX_ENTRIES);
    }
    if (dataLength > MAX_DATA_BYTES) {
      throw new RpmHeaderException(
          "offset 4: data length " + dataLength + " exceeds the limit of " + MAX_DATA_BYTES);
    }
    long expected = 8 + indexCount * ENTRY_BYTES + dataLength;
    if (expected != blob.length) {
      throw new RpmHeaderException(
          "header declares "
              + indexCount
              + " index entries and "
              + dataLength
              + " data bytes ("
              + expected
              + " bytes in all), but the blob is "
              + blob.length
              + " bytes");
    }
    int il = (int) indexCount;
    int dl = (int) dataLength;
    int dataStart = 8 + il * ENTRY_BYTES;

    int regionEntries = 0;
    int regionData = 0;
    int trailerOffset = -1;
    if (readInt(blob, 8) == RpmTag.HEADERIMMUTABLE) {
      int type = readInt(blob, 12);
      int offset = readInt(blob, 16);
      int count = readInt(blob, 20);
      if (type != TYPE_BIN || count != ENTRY_BYTES) {
        throw new RpmHeaderException(
            "offset 8: region tag 63 has type " + type + " and count " + count + ", not 7 and 16");
      }
      if (offset < 0 || (long) offset + ENTRY_BYTES > dl) {
        throw new RpmHeaderException(
            "offset 16: region trailer offset " + offset + " is outside the data store of " + dl);
      }
      int at = dataStart + offset;
      int trailerTag = readInt(blob, at);
      int trailerType = readInt(blob, at + 4);
      int trailerRegion = readInt(blob, at + 8);
      int trailerCount = readInt(blob, at + 12);
      if (trailerTag != RpmTag.HEADERIMMUTABLE
          || trailerType != TYPE_BIN
          || trailerCount != ENTRY_BYTES) {
        throw new RpmHeaderException(
            "offset " + at + ": region trailer is not tag 63, type 7, count 16");
      }
      long ril = -(long) trailerRegion / ENTRY_BYTES;
      if (trailerRegion >= 0 || trailerRegion % ENTRY_BYTES != 0 || ril > il) {
        throw new RpmHeaderException(
            "offset "
                + (at + 8)
                + ": region trailer offset "
                + trailerRegion
                + " does not name 1.."
                + il
                + " index entries");
      }
      regionEntries = (int) ril;
      regionData = offset + ENTRY_BYTES;
      trailerOffset = offset;
    }

    List<IndexEntry> entries = new ArrayList<>(il);
    for (int i = 0; i < il; i++) {
      int at = 8 + i * ENTRY_BYTES;
      boolean signed = i < regionEntries;
      IndexEntry entry = readEntry(blob, at, dataStart, dl, signed);
      if (i > 0 && signed && entry.offset() + entry.lengthBytes() > trailerOffset) {
        throw new RpmHeaderException(
            "offset " + at + ": signed tag " + entry.tag() + " has data past the region trailer");
      }
      if (!signed && regionEntries > 0 && entry.offset() < regionData) {
        throw new RpmHeaderException(
            "offset " + at + ": unsigned tag " + entry.tag() + " points into the signed region");
      }
      entries.add(entry);
    }
    return new RpmHeader(
        blob, dataStart, Collections.unmodifiableList(entries), regionEntries, regionData);
  }

  private static IndexEntry readEntry(byte[] blob, int at, int dataStart, int dl, boolean signed)
      throws RpmHeaderException {
    int tag = readInt(blob, at);
    int type = readInt(blob, at + 4);
    int offset = readInt(blob, at + 8);
    int count = readInt(blob, at + 12);
    String where = "offset " + at + ": tag " + tag;
    if (type < TYPE_CHAR || type > TYPE_I18NSTRING) {
      throw new RpmHeaderException(where + " has unknown type " + type + " (known: 1..9)");
    }
    if (offset < 0 || offset >= dl) {
      throw new RpmHeaderException(where + " has offset " + offset + " outside 0.." + (dl - 1));
    }
    if (count < 1 || count > dl - offset) {
      throw new RpmHeaderException(where + " has count " + count + " beyond the data store");
    }
    int alignment =
        switch (type) {
          case TYPE_INT16 -> 2;
          case TYPE_INT32 -> 4;
          case TYPE_INT64 -> 8;
          default -> 1;
        };
    if (offset % alignment != 0) {
      throw new RpmHeaderException(
          where + " has offset " + offset + ", not aligned to " + alignment + " bytes");
    }
    long length =
        switch (type) {
          case TYPE_STRING, TYPE_STRING_ARRAY, TYPE_I18NSTRING -> {
            if (type == TYPE_STRING && count != 1) {
              throw new RpmHeaderException(where + " is a string with count " + count + ", not 1");
            }
            int end = dataStart + offset;
            for (int k = 0; k < count; k++) {
              while (end < blob.length && blob[end] != 0) {
                end++;
              }
              if (end >= blob.length) {
                throw new RpmHeaderException(where + " has a string without its NUL terminator");
              }
              end++;
            }
            yield end - dataStart - offset;
          }
          default -> (long) count * alignment;
        };
    if (offset + length > dl) {
      throw new RpmHeaderException(
          where + " has " + length + " bytes at offset " + offset + " beyond the data store");
    }
    return new IndexEntry(tag, type, offset, count, (int) length, signed);
  }

  /** Returns true when the header has an immutable region, the part that a signature covers. */
  public boolean hasRegion() {
    return regionEntryCount > 0;
  }

  /** Returns all index entries in header order, the region's first. */
  public List<IndexEntry> entries() {
    return entries;
  }

  /** Returns the entry for a tag inside the signed region, or null. */
  public IndexEntry signedEntry(int tag) {
    for (int i = 1; i < regionEntryCount; i++) {
      if (entries.get(i).tag() == tag) {
        return entries.get(i);
      }
    }
    return null;
  }

  /** Returns the entry for a tag outside the signed region, or null. */
  public IndexEntry unsignedEntry(int tag) {
    for (int i = regionEntryCount; i < entries.size(); i++) {
      if (entries.get(i).tag() == tag) {
        return entries.get(i);
      }
    }
    return null;
  }

  /**
   * Returns the bytes that a header signature and the SHA256HEADER digest cover: the header magic,
   * the region's entry count and data length, its index entries and its data.
   */
  public byte[] immutableRegion() {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(16 + regionEntryCount * ENTRY_BYTES + regionDataLength);
    out.writeBytes(HEADER_MAGIC);
    out.writeBytes(int32(regionEntryCount));
    out.writeBytes(int32(regionDataLength));
    out.write(blob, 8, regionEntryCount * ENTRY_BYTES);
    out.write(blob, dataStart, regionDataLength);
    return out.toByteArray();
  }

  /** Returns the raw bytes of a binary entry. */
  public byte[] binary(IndexEntry entry) {
    byte[] copy = new byte[entry.lengthBytes()];
    System.arraycopy(blob, dataStart + entry.offset(), copy, 0, copy.length);
    return copy;
  }

  /** Returns the strings of a string, string array or i18n string entry as raw bytes. */
  public List<byte[]> byteStrings(IndexEntry entry) throws RpmHeaderException {
    requireType(entry, TYPE_STRING, TYPE_STRING_ARRAY, TYPE_I18NSTRING);
    List<byte[]> strings = new ArrayList<>(entry.count());
    int at = dataStart + entry.offset();
    for (int k = 0; k < entry.count(); k++) {
      int end = at;
      while (blob[end] != 0) {
        end++;
      }
      byte[] value = new byte[end - at];
      System.arraycopy(blob, at, value, 0, value.length);
      strings.add(value);
      at = end + 1;
    }
    return strings;
  }

  /** Returns the strings of an entry decoded as UTF-8 (invalid bytes become U+FFFD). */
  public List<String> strings(IndexEntry entry) throws RpmHeaderException {
    List<String> strings = new ArrayList<>(entry.count());
    for (byte[] value : byteStrings(entry)) {
      strings.add(new String(value, StandardCharsets.UTF_8));
    }
    return strings;
  }

  /**
   * Returns the values of an integer or char entry; 8-, 16- and 32-bit values are read unsigned
   * because rpm stores modes, flags and times unsigned.
   */
  public long[] integers(IndexEntry entry) throws RpmHeaderException {
    requireType(entry, TYPE_CHAR, TYPE_INT8, TYPE_INT16, TYPE_INT32, TYPE_INT64);
    long[] values = new long[entry.count()];
    int at = dataStart + entry.offset();
    for (int k = 0; k < values.length; k++) {
      values[k] =
          switch (entry.type()) {
            case TYPE_INT16 -> ((blob[at + 2 * k] & 0xFF) << 8) | (blob[at + 2 * k + 1] & 0xFF);
            case TYPE_INT32 -> readUnsigned32(blob, at + 4 * k);
            case TYPE_INT64 ->
                readUnsigned32(blob, at + 8 * k) << 32 | readUnsigned32(blob, at + 8 * k + 4);
            default -> blob[at + k] & 0xFF;
          };
    }
    return values;
  }

  private static void requireType(IndexEntry entry, int... types) throws RpmHeaderException {
    for (int type : types) {
      if (entry.type() == type) {
        return;
      }
    }
    throw new RpmHeaderException(
        "tag " + entry.tag() + " has type " + entry.type() + ", which this tag never has");
  }

  private static int readInt(byte[] bytes, int at) {
    return (bytes[at] & 0xFF) << 24
        | (bytes[at + 1] & 0xFF) << 16
        | (bytes[at + 2] & 0xFF) << 8
        | (bytes[at + 3] & 0xFF);
  }

  private static long readUnsigned32(byte[] bytes, int at) {
    return readInt(bytes, at) & 0xFFFFFFFFL;
  }

  private static byte[] int32(int value) {
    return new byte[] {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
  }
}
