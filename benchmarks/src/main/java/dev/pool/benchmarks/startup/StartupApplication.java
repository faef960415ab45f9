package dev.pool.benchmarks.startup;

import java.lang.management.ManagementFactory;
import java.util.Locale;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application of the start-up benchmark's "no key" cases: Spring MVC on Tomcat, the
 * actuator, a DataSource on the stub driver ({@code jdbc:stub:}) and whatever else the
 * benchmarks' classpath holds, configured by nothing of the starter's (no {@code pool.*}
 * key). Plain Spring Boot is the same process with {@code --pool.enabled=false}. Once
 * ready it prints {@value #READY} with the count of bean definitions and the CPU time the
 * process has used (all its threads, the JIT compilers' included), and the benchmark
 * stops it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class StartupApplication {

	/** The line printed once the application is ready. */
	public static final String READY = "Ready with beans: ";

	/** What follows the bean count on the ready line. */
	public static final String CPU = " cpu-ms: ";

	public static void main(String[] args) {
		ConfigurableApplicationContext context = SpringApplication.run(StartupApplication.class, args);
		long cpuNanos = (ManagementFactory
			.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) ? os.getProcessCpuTime()
					: -1_000_000;
		System.out.printf(Locale.ROOT, "%s%d%s%d%n", READY, context.getBeanDefinitionCount(), CPU,
				cpuNanos / 1_000_000);
	}

}
