package dev.pool.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A bounded load with a fault in the middle: {@code threads} callers each make
 * {@code requests} requests; once a quarter of them are done, the fault runs on the calling
 * thread. Every request's start, end and failure is recorded, so a test can tell the
 * requests that started after the fault.
 */
public final class MidLoad {

	private MidLoad() {
	}

	/**
	 * Run the load.
	 * @param threads concurrent callers
	 * @param requests requests per caller
	 * @param request one request
	 * @param fault what to do mid-load; returns when the fault is complete
	 * @return what happened
	 */
	public static Result run(int threads, int requests, Callable<?> request, Callable<?> fault) throws Exception {
		ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
		CountDownLatch quarter = new CountDownLatch(threads * requests / 4);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> callers = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				callers.add(executor.submit(() -> {
					for (int i = 0; i < requests; i++) {
						long start = System.nanoTime();
						Throwable failure = null;
						try {
							request.call();
						}
						catch (Throwable ex) {
							failure = ex;
						}
						outcomes.add(new Outcome(start, System.nanoTime(), failure));
						quarter.countDown();
					}
					return null;
				}));
			}
			if (!quarter.await(120, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the load did not get going");
			}
			long faultStart = System.nanoTime();
			fault.call();
			long faultEnd = System.nanoTime();
			for (Future<?> caller : callers) {
				caller.get(180, TimeUnit.SECONDS);
			}
			return new Result(List.copyOf(outcomes), faultStart, faultEnd);
		}
		finally {
			executor.shutdownNow();
		}
	}

	/**
	 * One request.
	 *
	 * @param start when it started ({@link System#nanoTime()})
	 * @param end when it ended
	 * @param failure what it threw, or null
	 */
	public record Outcome(long start, long end, Throwable failure) {

		public long millis() {
			return TimeUnit.NANOSECONDS.toMillis(this.end - this.start);
		}

	}

	/**
	 * The outcomes of the load.
	 *
	 * @param outcomes every request
	 * @param faultStart when the fault began
	 * @param faultEnd when the fault was complete
	 */
	public record Result(List<Outcome> outcomes, long faultStart, long faultEnd) {

		/** Requests that started after the fault was complete. */
		public List<Outcome> afterFault() {
			return this.outcomes.stream().filter((outcome) -> outcome.start() > this.faultEnd).toList();
		}

		public List<Outcome> failures() {
			return this.outcomes.stream().filter((outcome) -> outcome.failure() != null).toList();
		}

		@Override
		public String toString() {
			List<Outcome> failures = failures();
			return this.outcomes.size() + " requests, " + failures.size() + " failed, " + afterFault().size()
					+ " started after the fault" + (failures.isEmpty() ? ""
							: "; first failure: " + failures.get(0).failure());
		}

	}

}
