package dev.telltale.policy;

/**
 * A rule with its compiled pattern and its position in the policy, which breaks the last tie.
 *
 * @param order the rule's index among the policy's rules, in the order they are written
 */
record CompiledRule(Rule rule, PathPattern pattern, int line, int order) {

  boolean isEntry() {
    return rule.kind() == Rule.Kind.ENTRY;
  }

  boolean isExclusion() {
    return rule.kind() == Rule.Kind.EXCLUDE;
  }
}
