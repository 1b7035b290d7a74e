package dev.telltale.cli;

import dev.telltale.TamperException;
import dev.telltale.TelltaleException;
import dev.telltale.bundle.BundleCheck;
import dev.telltale.bundle.BundleHome;
import dev.telltale.bundle.BundleManifest;
import dev.telltale.bundle.Finding;
import dev.telltale.bundle.ManifestSignature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code selfcheck} command: compares the bundle with its signed manifest. */
@Command(
    name = "selfcheck",
    mixinStandardHelpOptions = true,
    description = {
      "Compare every file of the telltale bundle with MANIFEST.sha256 and report files that are"
          + " missing, changed, unexpected or unreadable.",
      "A self-check run on a host that may be compromised detects damage and careless tampering"
          + " only: an attacker with root can replace the code that checks. Check a copy of the"
          + " bundle on a trusted machine with --bundle and --pub for proof.",
      "Exit codes: 0 the bundle matches; 20 a difference or a bad signature; 18 the manifest"
          + " cannot be read; 21 the public key cannot be used."
    })
final class SelfcheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      description = "Bundle directory to check (default: the bundle this telltale runs from).")
  Path bundle;

  @Option(
      names = "--signature",
      description =
          "Also verify the Ed25519 signature in MANIFEST.sha256.sig before trusting the manifest.")
  boolean signature;

  @Option(
      names = "--pub",
      paramLabel = "FILE",
      description =
          "Builder's public key (PEM) to verify the signature with; implies --signature."
              + " Without it, --signature uses the key embedded in the bundle, which proves"
              + " nothing against an attacker who rebuilt the bundle.")
  Path publicKeyFile;

  @Override
  public Integer call() throws TelltaleException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path root = bundle != null ? bundle : BundleHome.locate();
    PublicKey key = null;
    if (signature || publicKeyFile != null) {
      if (publicKeyFile != null) {
        key = ManifestSignature.readPublicKey(publicKeyFile);
      } else {
        key = BundleCheck.embeddedPublicKey(root);
        err.println(
            "telltale: warning: verifying with the key embedded in the bundle; compare its"
                + " fingerprint with one from trusted media, or give that key with --pub");
      }
    }
    BundleCheck.Result result = BundleCheck.check(root, key);
    for (Finding finding : result.findings()) {
      out.println(finding.toLine());
    }
    if (!result.matches()) {
      throw new TamperException(
          result.findings().size()
              + " difference(s) between "
              + root
              + " and its "
              + BundleManifest.FILE_NAME
              + "; do not trust this bundle, rebuild or recopy it from its source");
    }
    out.println(
        "selfcheck: "
            + result.listedFiles()
            + " files match "
            + root.resolve(BundleManifest.FILE_NAME)
            + (result.signerFingerprint() == null
                ? " (signature not checked)"
                : ", signed by " + result.signerFingerprint()));
    return 0;
  }
}
