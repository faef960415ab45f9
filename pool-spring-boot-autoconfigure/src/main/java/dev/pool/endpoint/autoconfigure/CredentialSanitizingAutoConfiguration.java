package dev.pool.endpoint.autoconfigure;

import dev.pool.autoconfigure.ConditionalOnPoolEnabled;
import dev.pool.endpoint.CredentialSanitizingFunction;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link CredentialSanitizingFunction}: Spring Boot's
 * {@code env} and {@code configprops} endpoints apply every {@link SanitizingFunction}
 * bean to the values they show, so the pools' passwords and the credentials inside URLs
 * are masked there, also with {@code show-values=always}. {@code
 * pool.sanitize-credentials=false} shows them as Spring Boot would.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
@ConditionalOnPoolEnabled
public final class CredentialSanitizingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "pool.sanitize-credentials", matchIfMissing = true)
	CredentialSanitizingFunction poolCredentialSanitizingFunction() {
		return new CredentialSanitizingFunction();
	}

}
