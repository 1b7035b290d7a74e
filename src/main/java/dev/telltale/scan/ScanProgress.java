package dev.telltale.scan;

/**
 * Counts of a running scan at one moment.
 *
 * @param entries entries returned by the scan so far
 * @param bytes content bytes read for digests so far
 */
public record ScanProgress(long entries, long bytes) {}
