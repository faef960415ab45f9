package dev.pool.jdbc.autoconfigure;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import dev.pool.autoconfigure.PoolConfigurationException;
import dev.pool.jdbc.SecretFile;
import org.jspecify.annotations.Nullable;

/**
 * The secret files {@code pool.credentials.username-file} and {@code password-file} name,
 * for JDBC and R2DBC pools alike: a path that is blank, names no file or a file that is
 * empty or unreadable fails the start with the key, the path and what to do.
 */
public final class SecretFiles {

	private SecretFiles() {
	}

	/**
	 * Read the secret file a key names.
	 * @param key the key, for messages
	 * @param path the file's path, or null when the key is not set
	 * @param what what the file holds ({@code username} or {@code password})
	 * @return the file, or null when the key is not set
	 * @throws PoolConfigurationException when the file cannot be read
	 */
	public static @Nullable SecretFile read(String key, @Nullable String path, String what) {
		if (path == null) {
			return null;
		}
		if (path.isBlank()) {
			throw new PoolConfigurationException(key, path, "the path of a file that holds the " + what,
					"Set " + key + " to the file's path, or remove the key.");
		}
		try {
			return SecretFile.read(Path.of(path), key);
		}
		catch (NoSuchFileException ex) {
			throw new PoolConfigurationException(key, path,
					"the path of a file that exists and holds the " + what + " (there is no such file)",
					"Create the file (mount the secret, let the Vault agent render it) before the application "
							+ "starts, or correct " + key + ".");
		}
		catch (IOException ex) {
			String why = "is empty".equals(ex.getMessage()) ? "the file is empty"
					: "the file cannot be read: " + ex.getClass().getSimpleName();
			throw new PoolConfigurationException(key, path, "a readable file that holds the " + what + " (" + why + ")",
					"Write the " + what + " into the file " + key + " names, and let the application's user read it.");
		}
	}

}
