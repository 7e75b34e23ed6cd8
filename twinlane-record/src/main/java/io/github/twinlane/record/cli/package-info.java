/**
 * The recordings' command-line tool ({@link io.github.twinlane.record.cli.McapTool}): info, cat,
 * export to CSV, cut a time range, recover a recording cut short.
 */
package io.github.twinlane.record.cli;
