/**
 * Support for the starter's tests: the test environment, a throwaway PostgreSQL cluster
 * and the summary of skipped tests.
 */
package dev.pool.testsupport;
