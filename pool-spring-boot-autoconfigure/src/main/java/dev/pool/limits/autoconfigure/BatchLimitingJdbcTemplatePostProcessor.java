package dev.pool.limits.autoconfigure;

import dev.pool.limits.ResourceLimits;
import dev.pool.limits.jdbc.BatchLimitingJdbcTemplate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.SmartInstantiationAwareBeanPostProcessor;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Makes Spring Boot's {@code jdbcTemplate} bean a {@link BatchLimitingJdbcTemplate}:
 * Spring Boot makes and configures its {@code JdbcTemplate} (every
 * {@code spring.jdbc.template.*} key, its {@code SQLExceptionTranslator}), and the
 * template that replaces it takes those settings over. The type is predicted, so Spring
 * knows the bean as a {@code BatchLimitingJdbcTemplate} before it is made. Registered
 * only when the application has no {@code JdbcOperations} of its own, so the bean named
 * {@code jdbcTemplate} of class {@code JdbcTemplate} is Spring Boot's.
 */
final class BatchLimitingJdbcTemplatePostProcessor implements SmartInstantiationAwareBeanPostProcessor {

	/** The name of Spring Boot's {@code JdbcTemplate} bean. */
	static final String BEAN_NAME = "jdbcTemplate";

	private final ObjectProvider<ResourceLimits> limits;

	BatchLimitingJdbcTemplatePostProcessor(ObjectProvider<ResourceLimits> limits) {
		this.limits = limits;
	}

	@Override
	public Class<?> predictBeanType(Class<?> beanClass, String beanName) {
		return isSpringBootsJdbcTemplate(beanClass, beanName) ? BatchLimitingJdbcTemplate.class : null;
	}

	@Override
	public Class<?> determineBeanType(Class<?> beanClass, String beanName) {
		return isSpringBootsJdbcTemplate(beanClass, beanName) ? BatchLimitingJdbcTemplate.class : beanClass;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!isSpringBootsJdbcTemplate(bean.getClass(), beanName)) {
			return bean;
		}
		// A ResourceLimits of the application's own without a batch limit: no chunks.
		Integer maxBatchSize = this.limits.getObject().getMaxBatchSize();
		return new BatchLimitingJdbcTemplate((JdbcTemplate) bean,
				(maxBatchSize != null) ? maxBatchSize : Integer.MAX_VALUE);
	}

	private static boolean isSpringBootsJdbcTemplate(Class<?> beanClass, String beanName) {
		return beanClass == JdbcTemplate.class && BEAN_NAME.equals(beanName);
	}

}
