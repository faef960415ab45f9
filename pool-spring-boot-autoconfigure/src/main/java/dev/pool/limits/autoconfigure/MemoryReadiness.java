package dev.pool.limits.autoconfigure;

import dev.pool.limits.MemoryGuard;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Turns readiness to {@link ReadinessState#REFUSING_TRAFFIC} while the heap is over
 * {@code pool.limits.max-memory}, and back to {@link ReadinessState#ACCEPTING_TRAFFIC}
 * when it drops, unless something else changed readiness in between (a shutdown, the
 * application itself). Liveness never changes.
 */
class MemoryReadiness implements MemoryGuard.Listener {

	private final ApplicationEventPublisher publisher;

	private final ObjectProvider<ApplicationAvailability> availability;

	MemoryReadiness(ApplicationEventPublisher publisher, ObjectProvider<ApplicationAvailability> availability) {
		this.publisher = publisher;
		this.availability = availability;
	}

	@Override
	public void memoryStateChanged(boolean overLimit) {
		if (overLimit) {
			AvailabilityChangeEvent.publish(this.publisher, this, ReadinessState.REFUSING_TRAFFIC);
			return;
		}
		ApplicationAvailability availability = this.availability.getIfAvailable();
		AvailabilityChangeEvent<ReadinessState> last = (availability != null)
				? availability.getLastChangeEvent(ReadinessState.class) : null;
		if (last == null || last.getSource() == this) {
			AvailabilityChangeEvent.publish(this.publisher, this, ReadinessState.ACCEPTING_TRAFFIC);
		}
	}

}
