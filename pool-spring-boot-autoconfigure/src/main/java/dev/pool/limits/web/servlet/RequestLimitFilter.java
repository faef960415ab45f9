package dev.pool.limits.web.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.pool.limits.RequestLimiter;
import dev.pool.limits.RequestLimiter.Admission;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Serves at most {@code pool.limits.max-concurrent-requests} requests at once in a
 * servlet application, and none while the heap is over {@code pool.limits.max-memory}: a
 * request over the limit gets 503 with {@code Retry-After} at once. Requests under the
 * actuator's base path are exempt, so health stays readable. An asynchronous request
 * holds its place until it completes.
 */
public class RequestLimitFilter extends OncePerRequestFilter {

	private final RequestLimiter limiter;

	private final @Nullable String exemptPath;

	/**
	 * Create a new filter.
	 * @param limiter the limiter
	 * @param exemptPath the path (within the application) whose requests are never
	 * limited, such as {@code /actuator}, or null
	 */
	public RequestLimitFilter(RequestLimiter limiter, @Nullable String exemptPath) {
		this.limiter = limiter;
		this.exemptPath = exemptPath;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		if (this.exemptPath == null) {
			return false;
		}
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return path.equals(this.exemptPath) || path.startsWith(this.exemptPath + "/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Admission admission = this.limiter.tryAcquire();
		if (admission != Admission.ADMITTED) {
			reject(response, admission);
			return;
		}
		Release release = new Release(this.limiter);
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (request.isAsyncStarted()) {
				request.getAsyncContext().addListener(release);
			}
			else {
				release.run();
			}
		}
	}

	private void reject(HttpServletResponse response, Admission admission) throws IOException {
		response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
		response.setHeader(HttpHeaders.RETRY_AFTER, this.limiter.getRetryAfterHeader());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		byte[] body = this.limiter.getRejectionBody(admission).getBytes(StandardCharsets.UTF_8);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/**
	 * Releases an admitted request's place exactly once, whichever way it ends.
	 */
	private static final class Release implements AsyncListener {

		private final RequestLimiter limiter;

		private final AtomicBoolean released = new AtomicBoolean();

		Release(RequestLimiter limiter) {
			this.limiter = limiter;
		}

		void run() {
			if (this.released.compareAndSet(false, true)) {
				this.limiter.release();
			}
		}

		@Override
		public void onComplete(AsyncEvent event) {
			run();
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			run();
		}

		@Override
		public void onError(AsyncEvent event) {
			run();
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			// The same request goes on: its place is still held.
		}

	}

}
