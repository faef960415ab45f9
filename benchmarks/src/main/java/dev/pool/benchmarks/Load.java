package dev.pool.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded load run: a fixed number of threads, each doing one operation after another
 * until its count is done or the time is up, whichever comes first. Every run stops by
 * itself; a run that does not stop a minute after its time is interrupted and fails.
 */
public final class Load {

	private static final int ERRORS_KEPT = 10_000;

	private Load() {
	}

	/**
	 * Run the load.
	 * @param threads how many threads
	 * @param duration how long at the most
	 * @param perThread how many operations each thread does at the most
	 * @param workers makes each thread's worker (before the clock starts)
	 * @return what happened
	 */
	public static Outcome run(int threads, Duration duration, long perThread, Workers workers) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CountDownLatch ready = new CountDownLatch(threads);
		CountDownLatch start = new CountDownLatch(1);
		ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
		AtomicLong errorCount = new AtomicLong();
		long[] done = new long[threads];
		long[] deadline = new long[1];
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				futures.add(executor.submit(() -> {
					try (Worker worker = workers.create(thread)) {
						ready.countDown();
						start.await();
						long count = 0;
						long failed = 0;
						// Failed operations count against the limit too, so a failing
						// case stays bounded.
						while (count + failed < perThread && System.nanoTime() < deadline[0]) {
							try {
								worker.run();
								count++;
							}
							catch (Exception ex) {
								failed++;
								if (errorCount.incrementAndGet() <= ERRORS_KEPT) {
									errors.add(String.valueOf(ex.getMessage()));
								}
							}
						}
						done[thread] = count;
					}
					return null;
				}));
			}
			if (!ready.await(duration.toMillis() + 60_000, TimeUnit.MILLISECONDS)) {
				throw new TimeoutException("the load's workers did not get ready");
			}
			long started = System.nanoTime();
			deadline[0] = started + duration.toNanos();
			start.countDown();
			for (Future<?> future : futures) {
				future.get(Math.max(0, deadline[0] - System.nanoTime()) + TimeUnit.MINUTES.toNanos(1),
						TimeUnit.NANOSECONDS);
			}
			long elapsed = System.nanoTime() - started;
			return new Outcome(threads, done, errorCount.get(), List.copyOf(errors), Duration.ofNanos(elapsed));
		}
		finally {
			executor.shutdownNow();
		}
	}

	/**
	 * One thread's work.
	 */
	@FunctionalInterface
	public interface Worker extends AutoCloseable {

		/**
		 * Do one operation.
		 */
		void run() throws Exception;

		/**
		 * Release what the worker holds (a connection, for example).
		 */
		@Override
		default void close() throws Exception {
		}

	}

	/**
	 * Makes the worker of each thread.
	 */
	@FunctionalInterface
	public interface Workers {

		Worker create(int thread) throws Exception;

	}

	/**
	 * What a load run did.
	 *
	 * @param threads how many threads ran
	 * @param perThread the successful operations of each thread
	 * @param errors how many operations failed
	 * @param errorMessages the messages of the failures (the first ten thousand)
	 * @param elapsed from the start to the last thread's end
	 */
	public record Outcome(int threads, long[] perThread, long errors, List<String> errorMessages, Duration elapsed) {

		/**
		 * The successful operations of all threads.
		 * @return the total
		 */
		public long operations() {
			long total = 0;
			for (long count : this.perThread) {
				total += count;
			}
			return total;
		}

		/**
		 * The successful operations of some threads.
		 * @param from the first thread
		 * @param to the thread after the last
		 * @return their total
		 */
		public long operations(int from, int to) {
			long total = 0;
			for (int t = from; t < to; t++) {
				total += this.perThread[t];
			}
			return total;
		}

		/**
		 * Successful operations per second.
		 * @return the rate
		 */
		public double perSecond() {
			return operations() / (this.elapsed.toNanos() / 1e9);
		}

	}

}
