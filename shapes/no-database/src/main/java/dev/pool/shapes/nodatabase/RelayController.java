package dev.pool.shapes.nodatabase;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Answers with what the downstream service answers, through a WebClient made from Spring
 * Boot's {@link WebClient.Builder}.
 */
@RestController
class RelayController {

	private final WebClient downstream;

	RelayController(WebClient.Builder builder, @Value("${downstream.url}") String downstreamUrl) {
		this.downstream = builder.baseUrl(downstreamUrl).build();
	}

	@GetMapping("/relay")
	Mono<String> relay() {
		return this.downstream.get().uri("/greeting").retrieve().bodyToMono(String.class);
	}

}
