package dev.telltale.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A passphrase kept as characters, so that it can be cleared from memory when no longer needed. It
 * never appears in {@link #toString()}.
 */
public final class Passphrase implements AutoCloseable {
  private final char[] characters;
  private boolean cleared;

  /**
   * Creates a passphrase from a copy of {@code characters}. The caller still owns its array and
   * should clear it.
   */
  public Passphrase(char[] characters) {
    this.characters = characters.clone();
  }

  /** Returns true when the passphrase has no characters. */
  public boolean isEmpty() {
    checkNotCleared();
    return characters.length == 0;
  }

  /**
   * Returns the passphrase encoded as UTF-8 in a fresh array, which the caller must clear.
   *
   * @throws KeyException if the passphrase contains an unpaired surrogate and so has no UTF-8 form
   */
  byte[] utf8Bytes() throws KeyException {
    checkNotCleared();
    ByteBuffer encoded;
    try {
      encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(characters));
    } catch (CharacterCodingException e) {
      throw new KeyException("the passphrase is not valid Unicode text: type it again");
    }
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    // The encoder's buffer is larger than its content; clear all of it.
    Arrays.fill(encoded.array(), (byte) 0);
    return bytes;
  }

  /** Overwrites the characters with zeros. Afterwards the passphrase cannot be used. */
  public void clear() {
    Arrays.fill(characters, '\0');
    cleared = true;
  }

  @Override
  public void close() {
    clear();
  }

  private void checkNotCleared() {
    if (cleared) {
      throw new IllegalStateException("passphrase already cleared");
    }
  }

  @Override
  public String toString() {
    return "Passphrase[hidden]";
  }
}
