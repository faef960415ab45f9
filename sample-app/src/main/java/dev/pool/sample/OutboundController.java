package dev.pool.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pool.http.HttpPools;
import dev.pool.http.PooledWebClients;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Calls an outbound URL through the named client {@code self}
 * ({@code pool.http.hosts.self} in application.yml, this application's own
 * {@code /notes}), and shows the counts of its connection pool. With the starter off
 * ({@code pool.enabled=false}) there is no named client, and the endpoint says so.
 */
@RestController
@RequestMapping("/outbound")
class OutboundController {

	private final WebClient self;

	private final HttpPools pools;

	OutboundController(ObjectProvider<PooledWebClients> clients, ObjectProvider<HttpPools> pools) {
		PooledWebClients named = clients.getIfAvailable();
		this.self = (named != null) ? named.get("self") : null;
		this.pools = pools.getIfAvailable();
	}

	@GetMapping("/notes")
	Mono<ResponseEntity<Map<String, Object>>> notes() {
		if (this.self == null || this.pools == null) {
			return Mono.just(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.body(Map.of("error", "no named client 'self': the starter is off (pool.enabled=false)")));
		}
		return this.self.get()
			.uri("/notes")
			.retrieve()
			.bodyToMono(new ParameterizedTypeReference<List<Map<String, Object>>>() {
			})
			.map((notes) -> {
				Map<String, Object> body = new LinkedHashMap<>();
				body.put("notes", notes);
				body.put("pool", this.pools.stats("self"));
				return ResponseEntity.ok(body);
			});
	}

}
