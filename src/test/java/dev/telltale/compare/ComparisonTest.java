package dev.telltale.compare;

import static dev.telltale.testing.Entries.dir;
import static dev.telltale.testing.Entries.file;
import static org.assertj.core.api.Assertions.assertThat;

import dev.telltale.TelltaleException;
import dev.telltale.policy.Rule;
import dev.telltale.policy.Severity;
import dev.telltale.scan.Attribute;
import dev.telltale.scan.Entry;
import dev.telltale.scan.EntryType;
import dev.telltale.testing.ListStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {
  private static final Rule CONTENT =
      new Rule(
          Rule.Kind.SUBTREE,
          "/",
          EnumSet.of(Attribute.MODE, Attribute.SIZE, Attribute.SHA256),
          Severity.HIGH,
          false,
          false,
          false,
          "test.policy:1");
  private static final Rule GROWING =
      new Rule(
          Rule.Kind.SUBTREE,
          "/",
          EnumSet.of(Attribute.SIZE, Attribute.SHA256),
          Severity.LOW,
          true,
          false,
          false,
          "test.policy:2");

  private final List<Change> changes = new ArrayList<>();

  private Summary compare(Rule rule, List<Entry> baseline, List<Entry> live)
      throws TelltaleException {
    return compare(rule, baseline, live, (path, digest, length) -> "unused");
  }

  private Summary compare(
      Rule rule, List<Entry> baseline, List<Entry> live, Comparison.PrefixDigester digester)
      throws TelltaleException {
    Comparison comparison = new Comparison(path -> rule, digester);
    return comparison.run(new ListStream(baseline), new ListStream(live), changes::add);
  }

  @Test
  void identicalTreesAreClean() throws TelltaleException {
    List<Entry> tree = List.of(dir("/a", "mode=0755"), file("/a/b", "mode=0644", "size=1"));

    Summary summary = compare(CONTENT, tree, tree);

    assertThat(summary.isClean()).isTrue();
    assertThat(summary.compared()).isEqualTo(2);
    assertThat(changes).isEmpty();
  }

  @Test
  void eachKindIsCountedOnce() throws TelltaleException {
    List<Entry> baseline =
        List.of(file("/a", "size=1"), file("/b", "size=1"), file("/c", "size=1"));
    List<Entry> live =
        List.of(
            file("/a", "size=2"),
            file("/c", "size=1"),
            file("/d", "size=1"),
            file("/e", "size=1").withError("open: Permission denied (EACCES)"));

    Summary summary = compare(CONTENT, baseline, live);

    assertThat(summary).isEqualTo(new Summary(5, 1, 1, 1, 1));
    assertThat(summary.exitCode()).isEqualTo(1 | 2 | 4 | 8);
    assertThat(changes)
        .extracting(Change::kind)
        .containsExactly("changed", "removed", "added", "unreadable");
  }

  @Test
  void changedNamesOldAndNewValues() throws TelltaleException {
    compare(
        CONTENT,
        List.of(file("/x", "mode=0644", "size=3", "sha256=aa")),
        List.of(file("/x", "mode=0600", "size=3", "sha256=bb")));

    Change.Changed changed = (Change.Changed) changes.getFirst();
    assertThat(changed.differences())
        .containsExactly(
            new AttributeChange(Attribute.MODE, "0644", "0600"),
            new AttributeChange(Attribute.SHA256, "aa", "bb"));
  }

  @Test
  void fileReplacedByDirectoryIsOneChange() throws TelltaleException {
    compare(
        CONTENT,
        List.of(file("/x", "mode=0644", "size=3", "sha256=aa")),
        List.of(dir("/x", "mode=0644", "size=4096")));

    assertThat(changes).hasSize(1);
    Change.Changed changed = (Change.Changed) changes.getFirst();
    assertThat(changed.differences())
        .contains(new AttributeChange(Attribute.TYPE, "file", "dir"))
        .contains(new AttributeChange(Attribute.SHA256, "aa", null));
  }

  @Test
  void attributeMissingFromBaselineIsUnverified() throws TelltaleException {
    Summary summary =
        compare(
            CONTENT,
            List.of(file("/x", "mode=0644", "size=3")),
            List.of(file("/x", "mode=0644", "size=3", "sha256=aa")));

    assertThat(summary.unreadable()).isEqualTo(1);
    assertThat(((Change.Unreadable) changes.getFirst()).reason()).contains("sha256");
  }

  @Test
  void childrenOfUnreadableDirectoryAreNotRemoved() throws TelltaleException {
    List<Entry> baseline = List.of(dir("/d", "mode=0755"), file("/d/f", "size=1"));
    List<Entry> live = List.of(dir("/d", "mode=0755").withError("open: Permission denied"));

    Summary summary = compare(CONTENT, baseline, live);

    assertThat(summary.removed()).isZero();
    assertThat(summary.unreadable()).isEqualTo(2);
  }

  @Test
  void siblingAfterUnreadableDirectoryIsRemoved() throws TelltaleException {
    List<Entry> baseline =
        List.of(dir("/d", "mode=0755"), file("/d/f", "size=1"), file("/e", "size=1"));
    List<Entry> live = List.of(dir("/d", "mode=0755").withError("open: Permission denied"));

    Summary summary = compare(CONTENT, baseline, live);

    assertThat(summary.removed()).isEqualTo(1);
  }

  @Test
  void growingFileWithSamePrefixIsAccepted() throws TelltaleException {
    Summary summary =
        compare(
            GROWING,
            List.of(file("/log", "size=10", "sha256=old")),
            List.of(file("/log", "size=20", "sha256=new")),
            (path, digest, length) -> length == 10 ? "old" : "other");

    assertThat(summary.isClean()).isTrue();
  }

  @Test
  void growingFileWithEditedPrefixIsChanged() throws TelltaleException {
    Summary summary =
        compare(
            GROWING,
            List.of(file("/log", "size=10", "sha256=old")),
            List.of(file("/log", "size=20", "sha256=new")),
            (path, digest, length) -> "edited");

    assertThat(summary.changed()).isEqualTo(1);
  }

  @Test
  void shrunkGrowingFileIsChanged() throws TelltaleException {
    Rule growingWithoutSize =
        new Rule(
            Rule.Kind.SUBTREE,
            "/",
            EnumSet.of(Attribute.SHA256),
            Severity.LOW,
            true,
            false,
            false,
            "test.policy:3");

    compare(
        growingWithoutSize,
        List.of(file("/log", "size=10", "sha256=old")),
        List.of(file("/log", "size=5", "sha256=old")));

    Change.Changed changed = (Change.Changed) changes.getFirst();
    assertThat(changed.differences())
        .containsExactly(new AttributeChange(Attribute.SIZE, "10", "5"));
  }

  @Test
  void pathNoLongerCoveredIsNotVerified() throws TelltaleException {
    Comparison comparison = new Comparison(path -> null, (path, digest, length) -> "");

    Summary summary =
        comparison.run(
            new ListStream(List.of(file("/gone", "size=1"))),
            new ListStream(List.of()),
            changes::add);

    assertThat(summary.exitCode()).isEqualTo(8);
    assertThat(((Change.Unreadable) changes.getFirst()).reason()).contains("does not cover");
  }

  @Test
  void attributeNoLongerComparedIsNotVerified() throws TelltaleException {
    Summary summary =
        compare(
            CONTENT,
            List.of(file("/x", "mode=0644", "size=3", "sha256=aa", "uid=0")),
            List.of(file("/x", "mode=0644", "size=3", "sha256=aa")));

    assertThat(summary.exitCode()).isEqualTo(8);
    assertThat(((Change.Unreadable) changes.getFirst()).reason()).contains("uid");
  }

  @Test
  void walkErrorInBaselineIsIgnored() throws TelltaleException {
    Comparison comparison = new Comparison(path -> null, (path, digest, length) -> "");
    Entry walked = dir("/var").withError("openat: Permission denied (EACCES)");

    Summary summary =
        comparison.run(new ListStream(List.of(walked)), new ListStream(List.of()), changes::add);

    assertThat(summary.isClean()).isTrue();
  }

  @Test
  void unknownTypeWithErrorIsUnreadable() throws TelltaleException {
    Entry vanished =
        dev.telltale.testing.Entries.of("/v", EntryType.UNKNOWN)
            .withError("vanished during the scan (ENOENT)");

    Summary summary = compare(CONTENT, List.of(file("/v", "size=1")), List.of(vanished));

    assertThat(summary.unreadable()).isEqualTo(1);
    assertThat(summary.removed()).isZero();
  }

  @Test
  void unopenableWalkedDirectoryIsUnreadable() throws TelltaleException {
    Comparison comparison = new Comparison(path -> null, (path, digest, length) -> "");
    Entry walked = dir("/var").withError("openat: Permission denied (EACCES)");

    Summary summary =
        comparison.run(new ListStream(List.of()), new ListStream(List.of(walked)), changes::add);

    assertThat(summary.unreadable()).isEqualTo(1);
  }
}
