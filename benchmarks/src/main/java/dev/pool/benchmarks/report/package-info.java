/**
 * The report of a benchmark run: ratios, sections, the machine and charts.
 */
package dev.pool.benchmarks.report;
