package dev.pool.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A file that holds one secret (a password, a username, a token), read again only when it
 * changed: each look costs one {@code stat} of the path, links followed, so a Kubernetes
 * secret volume's symlink swap (a new file behind the same path) is seen as well as a
 * file rewritten in place. The content is the file's text without its trailing line
 * breaks. A file that goes away or is left empty keeps the last good value, and that is
 * said once.
 */
public final class SecretFile {

	private static final Log logger = LogFactory.getLog(SecretFile.class);

	private final Path path;

	private final String key;

	private volatile Stamp stamp;

	private volatile String content;

	private volatile boolean unusable;

	private volatile boolean worldReadableWarned;

	private SecretFile(Path path, String key, Stamp stamp, String content) {
		this.path = path;
		this.key = key;
		this.stamp = stamp;
		this.content = content;
	}

	/**
	 * Read a secret file, which must exist and hold a value; a file that users other than
	 * its owner and group may read is named in a WARN.
	 * @param path the file
	 * @param key the property that names it, for messages
	 * @return the file, read
	 * @throws NoSuchFileException when the file does not exist
	 * @throws IOException when it cannot be read, or is empty (its message says which)
	 */
	public static SecretFile read(Path path, String key) throws IOException {
		Stamp stamp = Stamp.of(path);
		String content = content(path);
		if (content.isEmpty()) {
			throw new IOException("is empty");
		}
		SecretFile file = new SecretFile(path, key, stamp, content);
		file.checkPermissions();
		return file;
	}

	public Path path() {
		return this.path;
	}

	/**
	 * Return the last good content.
	 * @return the secret
	 */
	public String content() {
		return this.content;
	}

	/**
	 * Look whether the file changed (one {@code stat}), and read it again if it did.
	 * @return whether the content changed
	 */
	public synchronized boolean refresh() {
		Stamp now;
		try {
			now = Stamp.of(this.path);
		}
		catch (IOException ex) {
			unusable((ex instanceof NoSuchFileException) ? "is gone" : "cannot be read (" + ex + ")");
			return false;
		}
		if (now.equals(this.stamp) && !this.unusable) {
			return false;
		}
		String read;
		try {
			read = content(this.path);
		}
		catch (IOException ex) {
			unusable((ex instanceof NoSuchFileException) ? "is gone" : "cannot be read (" + ex + ")");
			return false;
		}
		if (read.isEmpty()) {
			unusable("is empty");
			return false;
		}
		this.stamp = now;
		if (this.unusable) {
			this.unusable = false;
			logger.info("pool: " + this.key + " " + this.path + " can be read again");
		}
		checkPermissions();
		if (read.equals(this.content)) {
			return false;
		}
		this.content = read;
		return true;
	}

	private void unusable(String why) {
		if (!this.unusable) {
			this.unusable = true;
			logger.warn("pool: " + this.key + " " + this.path + " " + why
					+ "; new connections keep the last value read from it until it is back");
		}
	}

	private void checkPermissions() {
		if (this.worldReadableWarned) {
			return;
		}
		try {
			Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(this.path);
			if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
				this.worldReadableWarned = true;
				logger.warn("pool: " + this.key + " " + this.path
						+ " can be read by every user of this machine; make it readable by its owner (and group) only "
						+ "(chmod 0400 or 0440; in Kubernetes the secret volume's defaultMode: 0400, or 0440 with "
						+ "the pod's fsGroup)");
			}
		}
		catch (UnsupportedOperationException | IOException ex) {
			// Not a POSIX file system: nothing to check.
		}
	}

	private static String content(Path path) throws IOException {
		String text = Files.readString(path, StandardCharsets.UTF_8);
		int end = text.length();
		while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
			end--;
		}
		return text.substring(0, end);
	}

	/** What one {@code stat} tells of a file: its identity, last change and size. */
	private record Stamp(Object fileKey, FileTime modified, long size) {

		static Stamp of(Path path) throws IOException {
			BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
			return new Stamp(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
		}

	}

}
