package dev.telltale.packages;

import dev.telltale.crypto.KeyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * The OpenPGP public keys that the user named with {@code --keyring}, the only keys that header
 * signatures are checked against. Keys on the host (its /etc/pki or the rpmdb's gpg-pubkey entries)
 * are never consulted unless the user names them here.
 */
public final class VendorKeys {
  /** Keyring files larger than this are rejected: real vendor keyrings are a few KiB. */
  static final long MAX_KEYRING_BYTES = 16L * 1024 * 1024;

  /** Header signatures larger than this are rejected before parsing. */
  static final int MAX_SIGNATURE_BYTES = 64 * 1024;

  /** The result of checking one signature. */
  public enum Outcome {
    VALID,
    BAD,
    UNKNOWN_KEY,
    MALFORMED
  }

  /**
   * The outcome of checking one header signature.
   *
   * @param outcome whether the signature verified
   * @param keyId the issuer key ID in 16 upper-case hex digits, or empty when unreadable
   * @param detail a short reason for every outcome but {@link Outcome#VALID}
   */
  public record Check(Outcome outcome, String keyId, String detail) {}

  private final List<PGPPublicKeyRingCollection> rings;
  private final List<Path> sources;

  private VendorKeys(List<PGPPublicKeyRingCollection> rings, List<Path> sources) {
    this.rings = rings;
    this.sources = sources;
  }

  /**
   * Loads keyrings, each armored or binary.
   *
   * @throws KeyException if a file is missing, too large or holds no readable public key
   */
  public static VendorKeys load(List<Path> keyrings) throws KeyException {
    List<PGPPublicKeyRingCollection> rings = new ArrayList<>();
    for (Path file : keyrings) {
      try {
        long size = Files.size(file);
        if (size > MAX_KEYRING_BYTES) {
          throw new KeyException(
              "keyring " + file + " is " + size + " bytes, over the limit of " + MAX_KEYRING_BYTES);
        }
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
          PGPPublicKeyRingCollection ring =
              new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
          if (ring.size() == 0) {
            throw new KeyException(
                "keyring " + file + " contains no public key: export it with 'gpg --export'");
          }
          rings.add(ring);
        }
      } catch (NoSuchFileException e) {
        throw new KeyException("keyring " + file + " not found: check the --keyring path", e);
      } catch (IOException | PGPException | RuntimeException e) {
        // Bouncy Castle raises unchecked exceptions for some malformed packets.
        throw new KeyException(
            "keyring " + file + " is not an OpenPGP public keyring: " + e.getMessage(), e);
      }
    }
    return new VendorKeys(List.copyOf(rings), List.copyOf(keyrings));
  }

  /** Returns the keyring files, in the order given. */
  public List<Path> sources() {
    return sources;
  }

  /** Returns true when no keyring was given, so that no signature can verify. */
  public boolean isEmpty() {
    return rings.isEmpty();
  }

  /** Checks one OpenPGP signature packet over data. Never throws on hostile input. */
  public Check verify(byte[] signaturePacket, byte[] data) {
    if (signaturePacket.length > MAX_SIGNATURE_BYTES) {
      return new Check(Outcome.MALFORMED, "", "signature of " + signaturePacket.length + " bytes");
    }
    PGPSignature signature;
    try {
      Object object = new BcPGPObjectFactory(signaturePacket).nextObject();
      if (!(object instanceof PGPSignatureList list) || list.size() != 1) {
        return new Check(Outcome.MALFORMED, "", "not a single OpenPGP signature packet");
      }
      signature = list.get(0);
    } catch (IOException | RuntimeException e) {
      return new Check(Outcome.MALFORMED, "", "unreadable OpenPGP packet: " + e.getMessage());
    }
    String keyId = String.format(Locale.ROOT, "%016X", signature.getKeyID());
    if (signature.getSignatureType() != PGPSignature.BINARY_DOCUMENT) {
      return new Check(Outcome.MALFORMED, keyId, "signature type is not binary document");
    }
    PGPPublicKey key = findKey(signature.getKeyID());
    if (key == null) {
      return new Check(Outcome.UNKNOWN_KEY, keyId, "no key " + keyId + " in the keyrings given");
    }
    try {
      signature.init(new BcPGPContentVerifierBuilderProvider(), key);
      signature.update(data);
      if (signature.verify()) {
        return new Check(Outcome.VALID, keyId, "");
      }
      return new Check(Outcome.BAD, keyId, "signature does not match the header");
    } catch (PGPException | RuntimeException e) {
      return new Check(Outcome.BAD, keyId, "signature check failed: " + e.getMessage());
    }
  }

  private PGPPublicKey findKey(long keyId) {
    for (PGPPublicKeyRingCollection ring : rings) {
      PGPPublicKey key = ring.getPublicKey(keyId);
      if (key != null) {
        return key;
      }
    }
    return null;
  }

  /** Returns the fingerprints of all primary keys, upper-case hex, for the report. */
  public List<String> fingerprints() {
    List<String> prints = new ArrayList<>();
    for (PGPPublicKeyRingCollection ring : rings) {
      ring.getKeyRings()
          .forEachRemaining(
              keyRing ->
                  prints.add(
                      HexFormat.of()
                          .withUpperCase()
                          .formatHex(keyRing.getPublicKey().getFingerprint())));
    }
    return prints;
  }
}
