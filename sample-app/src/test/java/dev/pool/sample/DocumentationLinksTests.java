package dev.pool.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README and the {@code docs/} pages link to each other: every relative link must
 * point to a file that exists and every {@code #anchor} to a heading of its page (by
 * GitHub's rules for heading ids), the README must link every page, and every page the
 * README. External links are not checked (no network).
 */
class DocumentationLinksTests {

	/** The repository: the parent of this module, as Maven runs its tests. */
	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");

	private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

	private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

	private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

	@Test
	void everyRelativeLinkPointsToAnExistingFileAndHeading() throws IOException {
		List<Path> pages = pages();
		assertThat(pages).contains(ROOT.resolve("README.md"));
		List<String> dead = new ArrayList<>();
		for (Path page : pages) {
			for (String target : links(page)) {
				String problem = problem(page, target);
				if (problem != null) {
					dead.add(ROOT.relativize(page) + ": (" + target + ") " + problem);
				}
			}
		}
		assertThat(dead).as("dead links").isEmpty();
	}

	@Test
	void readmeLinksEveryDocsPage() throws IOException {
		Path readme = ROOT.resolve("README.md");
		Set<Path> linked = new LinkedHashSet<>();
		for (String target : links(readme)) {
			if (isRelative(target)) {
				linked.add(fileOf(readme, target));
			}
		}
		List<Path> docsPages = pages().stream().filter((page) -> page.startsWith(ROOT.resolve("docs"))).toList();
		assertThat(docsPages).isNotEmpty();
		assertThat(linked).as("pages linked from README.md").containsAll(docsPages);
	}

	@Test
	void everyDocsPageLinksBackToTheReadme() throws IOException {
		Path readme = ROOT.resolve("README.md");
		for (Path page : pages()) {
			if (!page.equals(readme)) {
				List<Path> linked = links(page).stream()
					.filter(DocumentationLinksTests::isRelative)
					.map((target) -> fileOf(page, target))
					.toList();
				assertThat(linked).as("pages linked from %s", ROOT.relativize(page)).contains(readme);
			}
		}
	}

	@Test
	void headingIdsFollowGitHubsRules() {
		assertThat(ids(List.of("## Quick start"))).containsExactly("quick-start");
		assertThat(ids(List.of("## HTTP pool (`pool.http`)"))).containsExactly("http-pool-poolhttp");
		assertThat(ids(List.of("## `maxLifetime` vs `wait_timeout`: closed")))
			.containsExactly("maxlifetime-vs-wait_timeout-closed");
		assertThat(ids(List.of("## `A` / `B`"))).containsExactly("a--b");
		assertThat(ids(List.of("## Spring Boot 4.0", "## Spring Boot 4.0"))).containsExactly("spring-boot-40",
				"spring-boot-40-1");
		assertThat(ids(List.of("```", "# not a heading", "```"))).isEmpty();
	}

	/** Why the link is dead, or {@code null} if it is not. */
	private static String problem(Path page, String target) throws IOException {
		if (!isRelative(target)) {
			return null;
		}
		Path file = fileOf(page, target);
		if (!Files.exists(file)) {
			return "no such file: " + ROOT.relativize(file);
		}
		int hash = target.indexOf('#');
		if (hash < 0 || !file.toString().endsWith(".md")) {
			return null;
		}
		String anchor = target.substring(hash + 1);
		Set<String> ids = ids(Files.readAllLines(file));
		return ids.contains(anchor) ? null : "no heading #" + anchor + " in " + ROOT.relativize(file);
	}

	private static boolean isRelative(String target) {
		return !target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
	}

	/** The file a relative link of the page points to (the page itself for an anchor). */
	private static Path fileOf(Path page, String target) {
		String path = pathOf(target);
		return path.isEmpty() ? page : page.resolveSibling(path).normalize();
	}

	private static String pathOf(String target) {
		int hash = target.indexOf('#');
		return (hash < 0) ? target : target.substring(0, hash);
	}

	private static List<Path> pages() throws IOException {
		List<Path> pages = new ArrayList<>();
		pages.add(ROOT.resolve("README.md"));
		try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
			docs.filter((file) -> file.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		return pages;
	}

	/** The targets of the inline links of a page, outside code. */
	private static List<String> links(Path page) throws IOException {
		List<String> targets = new ArrayList<>();
		for (String line : prose(Files.readAllLines(page))) {
			Matcher link = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
			while (link.find()) {
				targets.add(link.group(1));
			}
		}
		return targets;
	}

	/** The ids GitHub gives the headings of a page. */
	private static Set<String> ids(List<String> lines) {
		Set<String> ids = new LinkedHashSet<>();
		Map<String, Integer> seen = new HashMap<>();
		for (String line : prose(lines)) {
			Matcher heading = HEADING.matcher(line);
			if (heading.matches()) {
				String id = slug(heading.group(1));
				int count = seen.merge(id, 1, Integer::sum);
				ids.add((count == 1) ? id : id + "-" + (count - 1));
			}
		}
		return ids;
	}

	/**
	 * GitHub's rule: the heading's text (code spans and links as their text), lower case,
	 * without punctuation other than {@code -} and {@code _}, each space a {@code -}.
	 */
	private static String slug(String heading) {
		String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "");
		return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
	}

	/** The lines outside fenced code blocks. */
	private static List<String> prose(List<String> lines) {
		List<String> prose = new ArrayList<>();
		boolean inFence = false;
		for (String line : lines) {
			if (FENCE.matcher(line).find()) {
				inFence = !inFence;
			}
			else if (!inFence) {
				prose.add(line);
			}
		}
		return prose;
	}

}
