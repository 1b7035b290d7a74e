package dev.telltale.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rules of a policy in a trie keyed by each pattern's leading literal names, so that deciding a
 * path only matches the rules whose literal prefix lies on that path.
 */
final class RuleIndex {
  private static final byte[][] NO_NAMES = new byte[0][];
  private static final Node[] NO_NODES = new Node[0];
  private static final CompiledRule[] NO_RULES = new CompiledRule[0];

  /** One literal path; its children are sorted in canonical (unsigned byte) order. */
  static final class Node {
    byte[][] childNames = NO_NAMES;
    Node[] children = NO_NODES;

    /** Rules whose literal prefix ends exactly here. */
    CompiledRule[] rules = NO_RULES;

    /** True when an include rule's literal prefix ends here or below. */
    boolean leadsToInclude;

    /** Returns the child for {@code path[from, to)}, or null. */
    Node child(byte[] path, int from, int to) {
      for (int k = 0; k < childNames.length; k++) {
        byte[] name = childNames[k];
        if (Arrays.equals(name, 0, name.length, path, from, to)) {
          return children[k];
        }
      }
      return null;
    }
  }

  private final Node root = new Node();

  RuleIndex(List<CompiledRule> rules) {
    for (CompiledRule rule : rules) {
      Node node = root;
      List<Node> trail = new ArrayList<>();
      trail.add(node);
      for (int j = 0; j < rule.pattern().literalPrefixLength(); j++) {
        byte[] name = ((PathPattern.Literal) rule.pattern().name(j)).bytes();
        Node next = node.child(name, 0, name.length);
        if (next == null) {
          next = addChild(node, name);
        }
        node = next;
        trail.add(node);
      }
      node.rules = Arrays.copyOf(node.rules, node.rules.length + 1);
      node.rules[node.rules.length - 1] = rule;
      if (!rule.isExclusion()) {
        trail.forEach(n -> n.leadsToInclude = true);
      }
    }
  }

  private static Node addChild(Node parent, byte[] name) {
    int at = 0;
    while (at < parent.childNames.length
        && Arrays.compareUnsigned(parent.childNames[at], name) < 0) {
      at++;
    }
    Node child = new Node();
    parent.childNames = insert(parent.childNames, at, name);
    parent.children = insert(parent.children, at, child);
    return child;
  }

  private static <T> T[] insert(T[] array, int at, T value) {
    T[] grown = Arrays.copyOf(array, array.length + 1);
    System.arraycopy(array, at, grown, at + 1, array.length - at);
    grown[at] = value;
    return grown;
  }

  Node root() {
    return root;
  }
}
