package dev.pool.testsupport;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints one line at the end of a module's tests: how many ran, and what was skipped and
 * why (a test skips itself with an aborted assumption when a server or tool it needs is
 * missing, see {@link TestEnvironment}). Registered with the JUnit Platform through
 * {@code META-INF/services}; Surefire shows the line in the build's output.
 */
public class SkippedTestsSummary implements TestExecutionListener {

	private final Map<String, Integer> skipped = new TreeMap<>();

	private final AtomicInteger ran = new AtomicInteger();

	@Override
	public synchronized void executionFinished(TestIdentifier test, TestExecutionResult result) {
		if (!test.isTest()) {
			return;
		}
		if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
			String reason = result.getThrowable()
				.map(Throwable::getMessage)
				.map(SkippedTestsSummary::firstLine)
				.orElse("aborted without a reason");
			this.skipped.merge(reason, 1, Integer::sum);
		}
		else {
			this.ran.incrementAndGet();
		}
	}

	@Override
	public synchronized void executionSkipped(TestIdentifier test, String reason) {
		// @Disabled and the like: not a missing server or tool, but still not run.
		this.skipped.merge("disabled: " + firstLine(reason), test.isTest() ? 1 : 0, Integer::sum);
	}

	@Override
	public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
		int total = this.skipped.values().stream().mapToInt(Integer::intValue).sum();
		String line;
		if (total == 0) {
			line = "[pool tests] " + this.ran + " tests ran, none skipped";
		}
		else {
			line = "[pool tests] " + this.ran + " tests ran, " + total + " skipped"
					+ (TestEnvironment.required() ? "" : " (CI=true makes them fail)") + ": "
					+ this.skipped.entrySet()
						.stream()
						.map((entry) -> entry.getValue() + " x " + entry.getKey())
						.collect(Collectors.joining("; "));
		}
		System.out.println(line);
		System.out.flush();
	}

	private static String firstLine(String message) {
		if (message == null) {
			return "no reason given";
		}
		String first = message.strip().lines().findFirst().orElse("");
		return (first.length() > 160) ? first.substring(0, 157) + "..." : first;
	}

}
