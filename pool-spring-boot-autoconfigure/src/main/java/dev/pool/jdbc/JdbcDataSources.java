package dev.pool.jdbc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

/**
 * The application's DataSource beans and the HikariCP pools behind each, named the way
 * health, the {@code pools} endpoint, the {@code pool.jdbc.*} meters and the server
 * checks show them:
 * <ul>
 * <li>with one DataSource that has pools, each pool by its role ({@code primary}, or
 * {@code writer} and {@code reader}, ...), as before there were several;</li>
 * <li>with several, each by its bean name, and by {@code <bean name>/<role>} where a
 * DataSource has more than one pool;</li>
 * <li>a routing DataSource ({@link AbstractRoutingDataSource}) by each resolved target's
 * routing key below its bean name, as Spring Boot's {@code db} health names them. It is
 * never asked for its current target ({@code isWrapperFor} or {@code getConnection}),
 * which it may not have outside a request.</li>
 * </ul>
 */
public final class JdbcDataSources {

	/**
	 * The name of a routing target whose key is null, as Spring Boot's routing health
	 * contributor names it.
	 */
	public static final String UNNAMED = "unnamed";

	private JdbcDataSources() {
	}

	/**
	 * The DataSources and their pools.
	 * @param beans the DataSource beans by name
	 * @return a node per bean, in the order given
	 */
	public static List<Node> of(Map<String, ? extends DataSource> beans) {
		int pooled = 0;
		for (DataSource dataSource : beans.values()) {
			if (hasPools(dataSource)) {
				pooled++;
			}
		}
		List<Node> nodes = new ArrayList<>();
		for (Map.Entry<String, ? extends DataSource> bean : beans.entrySet()) {
			String name = bean.getKey();
			nodes.add(node(name, bean.getValue(), (pooled > 1) ? List.of(name) : List.of()));
		}
		return nodes;
	}

	/**
	 * Every pool of the DataSources once, named as the nodes name it: a pool reached from
	 * two beans (a bean and a proxy around it, a routing target that is a bean of its
	 * own) counts under the first.
	 * @param nodes the DataSources
	 * @return the pools, each named uniquely
	 */
	public static List<JdbcPool> pools(List<Node> nodes) {
		Set<HikariDataSource> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		List<JdbcPool> pools = new ArrayList<>();
		for (Node node : nodes) {
			collect(node, seen, pools);
		}
		return pools;
	}

	private static void collect(Node node, Set<HikariDataSource> seen, List<JdbcPool> pools) {
		for (JdbcPool pool : node.pools().values()) {
			if (seen.add(pool.dataSource())) {
				pools.add(pool);
			}
		}
		for (Node target : node.targets()) {
			collect(target, seen, pools);
		}
	}

	/**
	 * The resolved targets of a routing DataSource by routing key, without asking it for
	 * its current one.
	 * @param dataSource a DataSource bean
	 * @return its targets by routing key, empty when it is not a routing DataSource (or
	 * has not been initialized)
	 */
	public static Map<String, DataSource> routingTargets(DataSource dataSource) {
		AbstractRoutingDataSource routing = routing(dataSource);
		if (routing == null) {
			return Map.of();
		}
		Map<String, DataSource> targets = new LinkedHashMap<>();
		try {
			routing.getResolvedDataSources()
				.forEach((key, target) -> targets.put(Objects.toString(key, UNNAMED), target));
		}
		catch (IllegalStateException ex) {
			// Not initialized yet: no targets to see.
		}
		return targets;
	}

	private static AbstractRoutingDataSource routing(DataSource dataSource) {
		if (dataSource instanceof AbstractRoutingDataSource routing) {
			return routing;
		}
		if (dataSource instanceof DelegatingDataSource delegating && delegating.getTargetDataSource() != null) {
			return routing(delegating.getTargetDataSource());
		}
		return null;
	}

	private static boolean hasPools(DataSource dataSource) {
		Map<String, DataSource> targets = routingTargets(dataSource);
		return !targets.isEmpty() ? targets.values().stream().anyMatch(JdbcDataSources::hasPools)
				: !JdbcPool.of(dataSource).isEmpty();
	}

	private static Node node(String name, DataSource dataSource, List<String> path) {
		if (routing(dataSource) != null) {
			List<Node> targets = new ArrayList<>();
			routingTargets(dataSource).forEach((key, target) -> {
				List<String> targetPath = new ArrayList<>(path);
				targetPath.add(key);
				targets.add(node(key, target, targetPath));
			});
			return new Node(name, dataSource, Map.of(), targets);
		}
		List<JdbcPool> byRole = JdbcPool.of(dataSource);
		Map<String, JdbcPool> pools = new LinkedHashMap<>();
		for (JdbcPool pool : byRole) {
			List<String> label = new ArrayList<>(path);
			if (byRole.size() > 1 || label.isEmpty()) {
				label.add(pool.name());
			}
			pools.put(pool.name(), new JdbcPool(String.join("/", label), pool.dataSource()));
		}
		return new Node(name, dataSource, pools, List.of());
	}

	/**
	 * A DataSource, or a target of a routing DataSource.
	 *
	 * @param name its bean name, or its routing key
	 * @param dataSource the DataSource
	 * @param pools its pools by role, each named as health, the endpoint, the meters and
	 * the server checks show it; empty when it is not HikariCP or routes
	 * @param targets the targets it routes to, by routing key; empty when it does not
	 * route
	 */
	public record Node(String name, DataSource dataSource, Map<String, JdbcPool> pools, List<Node> targets) {

		/**
		 * Whether it has a HikariCP pool, itself or behind one of its targets.
		 * @return true when a pool is behind it
		 */
		public boolean hasPools() {
			return !this.pools.isEmpty() || this.targets.stream().anyMatch(Node::hasPools);
		}

	}

}
