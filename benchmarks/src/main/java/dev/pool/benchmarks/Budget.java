package dev.pool.benchmarks;

import java.time.Duration;

/**
 * How long each benchmark runs: the full run that produces the published figures, or the
 * smoke run (one short iteration of everything) that keeps the harness from rotting.
 *
 * @param quick whether this is the smoke run
 */
public record Budget(boolean quick) {

	/** The full run. */
	public static final Budget FULL = new Budget(false);

	/** One short iteration of everything. */
	public static final Budget SMOKE = new Budget(true);

	/**
	 * How many times every case of a load run runs. The rounds run one after the other
	 * (every case once, then again), short, so that a burst of other work on the machine
	 * hits all cases alike rather than one; a case's figure is its median round.
	 * @return the rounds
	 */
	public int rounds() {
		return this.quick ? 1 : 10;
	}

	/**
	 * How many forks of each JMH benchmark run, in rounds like the load runs; a
	 * benchmark's score pools the iterations of all its forks.
	 * @return the rounds
	 */
	public int jmhRounds() {
		return this.quick ? 1 : 5;
	}

	/**
	 * How long a load run warms up before it is measured.
	 * @return the warm-up
	 */
	public Duration warmup() {
		return this.quick ? Duration.ofMillis(100) : Duration.ofMillis(500);
	}

	/**
	 * How long a load run is measured.
	 * @return the measured time
	 */
	public Duration measured() {
		return this.quick ? Duration.ofMillis(300) : Duration.ofSeconds(1);
	}

	/**
	 * How many transactions each SQLite thread runs.
	 * @return the count per thread
	 */
	public int sqliteTransactions() {
		return this.quick ? 20 : 300;
	}

	/**
	 * How many times the sample application is started each way before the measured
	 * starts.
	 * @return the unmeasured starts per case
	 */
	public int startupWarmups() {
		return this.quick ? 0 : 1;
	}

	/**
	 * How many times the sample application is started each way and measured.
	 * @return the measured starts per case
	 */
	public int startups() {
		return this.quick ? 1 : 7;
	}

	/**
	 * How many times each start-up case is started to count the classes it loads (not
	 * timed): a garbage collection during a start loads classes another start does not,
	 * so the median of several counts is reported.
	 * @return the counted starts per case
	 */
	public int startupClassCounts() {
		return this.quick ? 1 : 3;
	}

}
