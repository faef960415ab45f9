package dev.pool.http.autoconfigure;

import java.time.Duration;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

import org.springframework.http.client.ReactorResourceFactory;

/**
 * The event loops that Spring's {@link ReactorResourceFactory} has now, looked up at each
 * connect. Spring Boot's reactive connector is bound to the factory's loops as they are
 * when it is built; a stop of the context shuts them down and a start makes new ones, so
 * a connector built before the stop would fail after the start with "event executor
 * terminated". Through this, the clients on the starter's pools connect on the loops of
 * the day. The factory owns the loops: disposing this disposes nothing.
 */
final class CurrentLoopResources implements LoopResources {

	private final ReactorResourceFactory factory;

	CurrentLoopResources(ReactorResourceFactory factory) {
		this.factory = factory;
	}

	private LoopResources current() {
		return this.factory.getLoopResources();
	}

	@Override
	public EventLoopGroup onServer(boolean useNative) {
		return current().onServer(useNative);
	}

	@Override
	public EventLoopGroup onClient(boolean useNative) {
		return current().onClient(useNative);
	}

	@Override
	public EventLoopGroup onServerSelect(boolean useNative) {
		return current().onServerSelect(useNative);
	}

	@Override
	public boolean daemon() {
		return current().daemon();
	}

	@Override
	public <CHANNEL extends Channel> CHANNEL onChannel(Class<CHANNEL> channelType, EventLoopGroup group) {
		return current().onChannel(channelType, group);
	}

	@Override
	public <CHANNEL extends Channel> Class<? extends CHANNEL> onChannelClass(Class<CHANNEL> channelType,
			EventLoopGroup group) {
		return current().onChannelClass(channelType, group);
	}

	@Override
	public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
		return Mono.empty();
	}

	@Override
	public String toString() {
		return "the current event loops of " + this.factory;
	}

}
