package dev.pool.benchmarks.http;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order of the HTTP benchmark's cases: over four rounds, every case runs right after
 * every other exactly once, and each round runs every case once.
 */
class BalancedOrderTests {

	@Test
	void everyCaseFollowsEveryOtherOnceInFourRounds() {
		Set<String> pairs = new HashSet<>();
		for (int round = 0; round < 4; round++) {
			int[] order = HttpLoad.balancedOrder(4, round);
			assertThat(order).containsExactlyInAnyOrder(0, 1, 2, 3);
			for (int i = 1; i < order.length; i++) {
				assertThat(pairs.add(order[i - 1] + ">" + order[i])).as("pair %d>%d twice", order[i - 1], order[i])
					.isTrue();
			}
		}
		assertThat(pairs).hasSize(12);
	}

}
