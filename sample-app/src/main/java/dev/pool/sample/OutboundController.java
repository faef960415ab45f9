package dev.pool.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import dev.pool.http.HttpPools;
import dev.pool.http.PooledWebClients;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Calls an outbound URL through the named client {@code self} ({@code pool.http.hosts.self}
 * in application.yml, this application's own {@code /notes}), and shows the counts of its
 * connection pool.
 */
@RestController
@RequestMapping("/outbound")
class OutboundController {

	private final WebClient self;

	private final HttpPools pools;

	OutboundController(PooledWebClients clients, HttpPools pools) {
		this.self = clients.get("self");
		this.pools = pools;
	}

	@GetMapping("/notes")
	Mono<Map<String, Object>> notes() {
		return this.self.get()
			.uri("/notes")
			.retrieve()
			.bodyToMono(new ParameterizedTypeReference<List<Map<String, Object>>>() {
			})
			.map((notes) -> {
				Map<String, Object> body = new LinkedHashMap<>();
				body.put("notes", notes);
				body.put("pool", this.pools.stats("self"));
				return body;
			});
	}

}
