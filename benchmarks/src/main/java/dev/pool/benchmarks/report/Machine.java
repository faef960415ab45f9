package dev.pool.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the figures were measured on, read from the machine itself: cores, CPU, memory,
 * OS, Java, and the load average, which says how much else was running.
 */
public final class Machine {

	private Machine() {
	}

	/**
	 * One line about the machine.
	 * @return e.g.
	 * {@code 2 cores (AMD EPYC 7B13), 23.5 GiB, Debian GNU/Linux 12, OpenJDK 17.0.15}
	 */
	public static String describe() {
		int cores = Runtime.getRuntime().availableProcessors();
		String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name").map((name) -> " (" + name + ")").orElse("");
		String memory = firstValue(Path.of("/proc/meminfo"), "MemTotal")
			.map((total) -> String.format(Locale.ROOT, ", %.1f GiB",
					Long.parseLong(total.replaceAll("\\D", "")) / 1048576.0))
			.orElse("");
		String os = firstValue(Path.of("/etc/os-release"), "PRETTY_NAME").map((name) -> name.replace("\"", ""))
			.orElse(System.getProperty("os.name") + " " + System.getProperty("os.version"));
		return cores + " cores" + cpu + memory + ", " + os + ", " + System.getProperty("java.vm.name") + " "
				+ System.getProperty("java.version");
	}

	/**
	 * The load average now.
	 * @return the 1, 5 and 15 minute load averages, e.g. {@code 1.10 1.14 0.80}
	 */
	public static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException | RuntimeException ex) {
			return "unknown";
		}
	}

	private static Optional<String> firstValue(Path file, String key) {
		try {
			List<String> lines = Files.readAllLines(file);
			for (String line : lines) {
				int separator = line.indexOf(line.contains(":") ? ':' : '=');
				if (separator > 0 && line.substring(0, separator).trim().equals(key)) {
					return Optional.of(line.substring(separator + 1).trim());
				}
			}
		}
		catch (IOException ex) {
			// Not Linux: fall back.
		}
		return Optional.empty();
	}

}
