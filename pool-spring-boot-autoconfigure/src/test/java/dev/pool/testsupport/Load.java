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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bounded load, the one harness of the tests: groups of callers, each caller making a
 * fixed number of requests, all at once; optionally a fault that runs on the test's
 * thread once a quarter of the requests are done. Every request's outcome is recorded,
 * with whether it started after the fault was complete. Bounded in count, not in time:
 * how fast the machine is changes nothing but how long it takes.
 */
public final class Load {

	private final List<Group> groups = new ArrayList<>();

	private Callable<?> fault;

	private Load() {
	}

	/**
	 * A load of {@code threads} callers that each make {@code requests} requests.
	 * @param threads concurrent callers
	 * @param requests requests per caller
	 * @param request one request
	 * @return the load, to add callers or a fault to
	 */
	public static Load of(int threads, int requests, Request request) {
		return new Load().and(threads, requests, request);
	}

	/**
	 * A load of {@code threads} callers that each make {@code requests} requests that do
	 * not depend on the caller.
	 * @param threads concurrent callers
	 * @param requests requests per caller
	 * @param request one request
	 * @return the load, to add callers or a fault to
	 */
	public static Load of(int threads, int requests, Callable<?> request) {
		return new Load().and(threads, requests, request);
	}

	/**
	 * Add callers that run at the same time as the others.
	 * @param threads concurrent callers
	 * @param requests requests per caller
	 * @param request one request
	 * @return this load
	 */
	public Load and(int threads, int requests, Request request) {
		this.groups.add(new Group(threads, requests, request));
		return this;
	}

	/**
	 * Add callers whose request does not depend on the caller.
	 * @param threads concurrent callers
	 * @param requests requests per caller
	 * @param request one request
	 * @return this load
	 */
	public Load and(int threads, int requests, Callable<?> request) {
		return and(threads, requests, (caller, n) -> request.call());
	}

	/**
	 * Run a fault once a quarter of all requests are done. Requests that start after it
	 * returns count as {@link Outcome#afterFault() after the fault}, so it must return
	 * once the fault has happened, not once it was asked for: a backend that
	 * {@code pg_terminate_backend} or {@code KILL} signalled may still be running, and a
	 * request that uses it in between fails later for reasons no check can see.
	 * @param fault what to do mid-load; returns when the fault is complete
	 * @return this load
	 */
	public Load faultAfterAQuarter(Callable<?> fault) {
		this.fault = fault;
		return this;
	}

	/**
	 * Run the load; returns when every request is done (at most a few minutes, or it
	 * fails).
	 * @return what happened
	 */
	public Result run() throws Exception {
		int threads = this.groups.stream().mapToInt(Group::threads).sum();
		int total = this.groups.stream().mapToInt((group) -> group.threads() * group.requests()).sum();
		ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
		CountDownLatch quarter = new CountDownLatch(total / 4);
		AtomicBoolean faultComplete = new AtomicBoolean(this.fault == null);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> callers = new ArrayList<>();
			for (Group group : this.groups) {
				for (int t = 0; t < group.threads(); t++) {
					int caller = t;
					callers.add(executor.submit(() -> {
						for (int n = 0; n < group.requests(); n++) {
							boolean afterFault = this.fault != null && faultComplete.get();
							Throwable failure = null;
							try {
								group.request().run(caller, n);
							}
							catch (Throwable ex) {
								failure = ex;
							}
							outcomes.add(new Outcome(afterFault, failure));
							quarter.countDown();
						}
						return null;
					}));
				}
			}
			if (this.fault != null) {
				if (!quarter.await(120, TimeUnit.SECONDS)) {
					throw new IllegalStateException("the load did not get going");
				}
				this.fault.call();
				faultComplete.set(true);
			}
			for (Future<?> caller : callers) {
				caller.get(180, TimeUnit.SECONDS);
			}
			return new Result(List.copyOf(outcomes));
		}
		finally {
			executor.shutdownNow();
		}
	}

	private record Group(int threads, int requests, Request request) {
	}

	/**
	 * One request of one caller.
	 */
	@FunctionalInterface
	public interface Request {

		/**
		 * Make the request.
		 * @param caller the caller's index within its group
		 * @param n the request's index within the caller's requests
		 */
		void run(int caller, int n) throws Exception;

	}

	/**
	 * One request.
	 *
	 * @param afterFault whether it started after the fault was complete
	 * @param failure what it threw, or null
	 */
	public record Outcome(boolean afterFault, Throwable failure) {
	}

	/**
	 * The outcomes of the load.
	 *
	 * @param outcomes every request
	 */
	public record Result(List<Outcome> outcomes) {

		/** Requests that started after the fault was complete. */
		public List<Outcome> afterFault() {
			return this.outcomes.stream().filter(Outcome::afterFault).toList();
		}

		public List<Outcome> failures() {
			return this.outcomes.stream().filter((outcome) -> outcome.failure() != null).toList();
		}

		/** The messages of the failures, in no particular order. */
		public List<String> errors() {
			return failures().stream().map((outcome) -> String.valueOf(outcome.failure().getMessage())).toList();
		}

		@Override
		public String toString() {
			List<Outcome> failures = failures();
			return this.outcomes.size() + " requests, " + failures.size() + " failed, " + afterFault().size()
					+ " started after the fault"
					+ (failures.isEmpty() ? "" : "; first failure: " + failures.get(0).failure());
		}

	}

}
