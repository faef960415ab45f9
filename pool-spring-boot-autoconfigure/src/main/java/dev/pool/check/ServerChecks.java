package dev.pool.check;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * The results of the server checks, which run once at start-up in the background (or
 * before start-up completes with {@code pool.fail-on-misconfiguration=true}).
 */
public class ServerChecks {

	private final CompletableFuture<List<ServerCheck>> results = new CompletableFuture<>();

	/**
	 * The results, if the checks have finished.
	 * @return the results, or an empty list while they run
	 */
	public List<ServerCheck> current() {
		return this.results.getNow(List.of());
	}

	/**
	 * The result for one pool, if the checks have finished.
	 * @param pool the pool's name, as {@link ServerCheck#pool()} gives it
	 * @return its result, or null while the checks run or when it was not checked
	 */
	public @Nullable ServerCheck forPool(String pool) {
		return current().stream().filter((check) -> check.pool().equals(pool)).findFirst().orElse(null);
	}

	/**
	 * Whether the checks have finished.
	 * @return true once results are in
	 */
	public boolean isDone() {
		return this.results.isDone();
	}

	/**
	 * Wait for the results.
	 * @param timeout how long to wait at most
	 * @return the results
	 * @throws TimeoutException if the checks are still running
	 */
	public List<ServerCheck> await(Duration timeout) throws TimeoutException, InterruptedException {
		try {
			return this.results.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("The server checks failed", ex.getCause());
		}
	}

	/**
	 * Record the results.
	 * @param checks the results of every pool
	 */
	public void complete(List<ServerCheck> checks) {
		this.results.complete(List.copyOf(checks));
	}

}
