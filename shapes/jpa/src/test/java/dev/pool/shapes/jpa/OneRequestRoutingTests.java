package dev.pool.shapes.jpa;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.orm.jpa.support.OpenEntityManagerInViewInterceptor;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One web request with a read-only service call and a save, in both orders: each
 * transaction runs on the pool its read-only flag asks for, also when open-in-view keeps
 * one Hibernate session (and one logical JDBC connection) for the whole request.
 */
@SpringBootTest(classes = JpaShapeApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.flyway.enabled=false", "spring.liquibase.enabled=false",
				"spring.jpa.hibernate.ddl-auto=create" })
@DirtiesContext
abstract class OneRequestRoutingTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@Autowired
	private NoteRepository notes;

	@Value("${spring.jpa.open-in-view}")
	private boolean openInView;

	@Test
	void openInViewIsAsConfigured() {
		assertThat(this.context.getBeanNamesForType(OpenEntityManagerInViewInterceptor.class))
			.hasSize(this.openInView ? 1 : 0);
	}

	@Test
	void aReadOnlyCallThenASaveInOneRequestReadsOnTheReadPoolAndWritesOnTheWritePool() throws Exception {
		long before = this.notes.count();
		Requests.Response response = Requests.post(this.port, "/read-then-save?text=first");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("\"count\":" + before).contains("\"pools\":\"write=0,read=1\"");
		assertServedByTheReadPool(response.body());
		assertThat(this.notes.count()).isEqualTo(before + 1);
	}

	@Test
	void aSaveThenAReadOnlyCallInOneRequestWritesOnTheWritePoolAndReadsOnTheReadPool() throws Exception {
		long before = this.notes.count();
		Requests.Response response = Requests.post(this.port, "/save-then-read?text=second");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("\"count\":" + (before + 1)).contains("\"pools\":\"write=0,read=1\"");
		assertServedByTheReadPool(response.body());
		assertThat(this.notes.count()).isEqualTo(before + 1);
	}

	/**
	 * What the database says about the connection of the read-only call, where it can.
	 * @param body the response
	 */
	void assertServedByTheReadPool(String body) {
	}

}
