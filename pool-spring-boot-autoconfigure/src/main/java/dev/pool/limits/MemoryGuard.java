package dev.pool.limits;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.unit.DataSize;

/**
 * Watches the heap in use after garbage collection against
 * {@code pool.limits.max-memory}, without polling: the JVM's collection usage thresholds
 * ({@link MemoryPoolMXBean#setCollectionUsageThreshold(long)}) say when a collection left
 * more than the limit, and garbage collection notifications say when it is back under.
 * <p>
 * The limit is over when a heap pool's usage after its collection reaches the limit, or
 * when a full collection leaves more than the limit in the whole heap; it is back under
 * as soon as any collection leaves the whole heap at or below the limit. Only a
 * collection shows that memory dropped, so recovery follows the next collection after
 * memory is released; the guard never calls {@link System#gc()}.
 */
public class MemoryGuard implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(MemoryGuard.class);

	private final long limit;

	private final Listener listener;

	private final NotificationListener thresholdListener = this::onThresholdExceeded;

	private final NotificationListener collectionListener = this::onCollection;

	private final List<MemoryPoolMXBean> thresholdPools = new ArrayList<>();

	private final List<NotificationEmitter> collectors = new ArrayList<>();

	private volatile boolean overLimit;

	private volatile long heapUsedAfterGc = -1;

	private volatile boolean running;

	/**
	 * Create a new guard; {@link #start()} starts watching.
	 * @param limit the heap in use after GC above which the limit is over
	 * @param listener told of every change between under and over the limit
	 */
	public MemoryGuard(DataSize limit, Listener listener) {
		this.limit = limit.toBytes();
		this.listener = listener;
	}

	/**
	 * Whether the heap in use after the last collection is over the limit.
	 * @return true while over the limit
	 */
	public boolean isOverLimit() {
		return this.overLimit;
	}

	/**
	 * Return the limit.
	 * @return the limit in bytes
	 */
	public long getLimit() {
		return this.limit;
	}

	/**
	 * Return the heap in use after the last collection the guard saw.
	 * @return bytes, or -1 before the first collection
	 */
	public long getHeapUsedAfterGc() {
		return this.heapUsedAfterGc;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		long maxHeap = Runtime.getRuntime().maxMemory();
		if (this.limit >= maxHeap) {
			logger.warn("pool: pool.limits.max-memory (" + DataSize.ofBytes(this.limit).toMegabytes() + "MB) is not "
					+ "below the maximum heap (" + DataSize.ofBytes(maxHeap).toMegabytes() + "MB): the heap can never "
					+ "reach it. Set it below -Xmx, for example to 85% of it.");
		}
		NotificationEmitter memory = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
		memory.addNotificationListener(this.thresholdListener,
				(notification) -> MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED
					.equals(notification.getType()),
				null);
		for (MemoryPoolMXBean pool : heapPools()) {
			long max = pool.getUsage().getMax();
			if (pool.isCollectionUsageThresholdSupported() && (max < 0 || this.limit <= max)) {
				pool.setCollectionUsageThreshold(this.limit);
				this.thresholdPools.add(pool);
			}
		}
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (collector instanceof NotificationEmitter emitter) {
				emitter.addNotificationListener(this.collectionListener, (notification) -> notification.getType()
					.equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION), null);
				this.collectors.add(emitter);
			}
		}
		long afterLastCollections = heapPools().stream()
			.map(MemoryPoolMXBean::getCollectionUsage)
			.filter((usage) -> usage != null)
			.mapToLong(MemoryUsage::getUsed)
			.sum();
		this.heapUsedAfterGc = afterLastCollections;
		this.running = true;
		update(afterLastCollections > this.limit, afterLastCollections);
	}

	@Override
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		removeListener((NotificationEmitter) ManagementFactory.getMemoryMXBean(), this.thresholdListener);
		this.collectors.forEach((collector) -> removeListener(collector, this.collectionListener));
		this.collectors.clear();
		for (MemoryPoolMXBean pool : this.thresholdPools) {
			if (pool.getCollectionUsageThreshold() == this.limit) {
				pool.setCollectionUsageThreshold(0);
			}
		}
		this.thresholdPools.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void onThresholdExceeded(Notification notification, Object handback) {
		MemoryNotificationInfo info = MemoryNotificationInfo.from((CompositeData) notification.getUserData());
		long used = info.getUsage().getUsed();
		// Another guard in the same JVM may have set a lower threshold: compare with
		// ours.
		if (used >= this.limit) {
			this.heapUsedAfterGc = Math.max(used, this.heapUsedAfterGc);
			update(true, used);
		}
	}

	private void onCollection(Notification notification, Object handback) {
		GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
			.from((CompositeData) notification.getUserData());
		Set<String> heap = heapPools().stream().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
		long used = 0;
		for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
			if (heap.contains(pool.getKey())) {
				used += pool.getValue().getUsed();
			}
		}
		this.heapUsedAfterGc = used;
		if (used <= this.limit) {
			update(false, used);
		}
		else if (info.getGcAction().contains("major")) {
			// After a young collection the old generation still holds garbage: only a
			// full
			// collection shows that the live data is over the limit.
			update(true, used);
		}
	}

	private synchronized void update(boolean over, long used) {
		if (!this.running || over == this.overLimit) {
			return;
		}
		this.overLimit = over;
		String state = over ? "over" : "back under";
		logger.warn("pool: heap in use after GC (" + DataSize.ofBytes(used).toMegabytes() + "MB) is " + state
				+ " pool.limits.max-memory (" + DataSize.ofBytes(this.limit).toMegabytes() + "MB)"
				+ (over ? ": new requests get 503 and readiness is REFUSING_TRAFFIC" : ""));
		this.listener.memoryStateChanged(over);
	}

	private static List<MemoryPoolMXBean> heapPools() {
		return ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((pool) -> pool.getType() == MemoryType.HEAP && pool.isValid())
			.toList();
	}

	private static void removeListener(NotificationEmitter emitter, NotificationListener listener) {
		try {
			emitter.removeNotificationListener(listener);
		}
		catch (ListenerNotFoundException ex) {
			// Not registered: nothing to remove.
		}
	}

	/**
	 * Told when the heap goes over the limit or back under it.
	 */
	@FunctionalInterface
	public interface Listener {

		/**
		 * Called on the JVM's notification thread when the state changes.
		 * @param overLimit whether the heap is now over the limit
		 */
		void memoryStateChanged(boolean overLimit);

	}

}
