package dev.pool;

import dev.pool.endpoint.CredentialSanitizingFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.actuate.endpoint.SanitizableData;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials never survive {@link Credentials#mask}, nor the {@code env} and
 * {@code configprops} endpoints' {@link CredentialSanitizingFunction}.
 */
class CredentialsTests {

	private final CredentialSanitizingFunction function = new CredentialSanitizingFunction();

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					jdbc:postgresql://db:5432/app?user=app&password=s3cret&ssl=true | jdbc:postgresql://db:5432/app?user=app&password=******&ssl=true
					jdbc:mysql://app:s3cret@db:3306/app                             | jdbc:mysql://app:******@db:3306/app
					jdbc:mariadb://db/app?user=x&PASSWORD=s3cret                    | jdbc:mariadb://db/app?user=x&PASSWORD=******
					https://svc:s3cret@api.example.com/v1                           | https://svc:******@api.example.com/v1
					jdbc:oracle:thin:scott/s3cret@db:1521/orcl                      | jdbc:oracle:thin:scott/******@db:1521/orcl
					jdbc:postgresql://db/app?user=u&password=p@s3cret               | jdbc:postgresql://db/app?user=u&password=******
					jdbc:mysql://u:p@s3cret@db/app                                  | jdbc:mysql://u:******@db/app
					jdbc:sqlserver://db;user=sa;password=s3cret;encrypt=true        | jdbc:sqlserver://db;user=sa;password=******;encrypt=true
					jdbc:sqlite:app.db                                              | jdbc:sqlite:app.db
					http://localhost:8080/x?token=s3cret                            | http://localhost:8080/x?token=******
					""")
	void masksCredentials(String url, String masked) {
		assertThat(Credentials.mask(url)).isEqualTo(masked).doesNotContain("s3cret");
	}

	/**
	 * What {@code /actuator/env} and {@code /actuator/configprops} show for a key and its
	 * value with {@code show-values=always}: the pools' password keys in every form
	 * Spring Boot binds, and the URL forms of MySQL, DB2, SQL Server and Oracle and the
	 * parameter names that hold credentials.
	 */
	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					spring.datasource.password                                    | s3cret | ******
					SPRING_DATASOURCE_PASSWORD                                    | s3cret | ******
					spring.datasource.hikari.password                             | s3cret | ******
					spring.datasource.hikari.data-source-properties.password      | s3cret | ******
					spring.datasource.hikari.dataSourceProperties.password        | s3cret | ******
					spring.datasource.hikari.data-source-properties.sslpassword   | s3cret | ******
					spring.datasource.hikari.data-source-properties[trustStorePassword] | s3cret | ******
					spring.datasource.hikari.data-source-properties.keyStorePassword | s3cret | ******
					spring.datasource.hikari.data-source-properties.password1     | s3cret | ******
					spring.datasource.hikari.data-source-properties.access_token  | s3cret | ******
					spring.datasource.hikari.credentials.password                 | s3cret | ******
					spring.datasource.xa.properties.password                      | s3cret | ******
					pool.read.password                                            | s3cret | ******
					pool.datasources.orders.password                              | s3cret | ******
					pool.datasources[orders].password                             | s3cret | ******
					POOL_DATASOURCES_ORDERS_PASSWORD                              | s3cret | ******
					pool.credentials.billing                                      | s3cret | ******
					pool.read.credentials.token                                   | s3cret | ******
					pool.datasources.orders.credentials.password                  | s3cret | ******
					spring.datasource.url | jdbc:mysql://(host=db,user=a,password=s3cret)/app | jdbc:mysql://(host=db,user=a,password=******)/app
					spring.datasource.url | jdbc:mysql://address=(host=db)(user=a)(password=s3cret)/app | jdbc:mysql://address=(host=db)(user=a)(password=******)/app
					spring.datasource.url | jdbc:db2://db:50000/app:password=s3cret;user=a; | jdbc:db2://db:50000/app:password=******;user=a;
					spring.datasource.url | jdbc:sqlserver://db;user=sa;password={x;s3cret};encrypt=true | jdbc:sqlserver://db;user=sa;password=******;encrypt=true
					spring.datasource.url | jdbc:sqlserver://db;password={x;}}s3cret} | jdbc:sqlserver://db;password=******
					spring.datasource.url | jdbc:oracle:oci:scott/s3cret@db | jdbc:oracle:oci:scott/******@db
					spring.datasource.url | jdbc:oracle:thin:scott/pa/s3cret@//db:1521/svc | jdbc:oracle:thin:scott/******@//db:1521/svc
					spring.datasource.url | jdbc:oracle:THIN:scott/s3cret@db:1521/orcl | jdbc:oracle:THIN:scott/******@db:1521/orcl
					spring.datasource.url | jdbc:mysql://db/app?user=a&password1=s3cret&password2=s3cret&password3=s3cret | jdbc:mysql://db/app?user=a&password1=******&password2=******&password3=******
					spring.datasource.url | jdbc:sqlserver://db;encrypt=true;trustStorePassword=s3cret | jdbc:sqlserver://db;encrypt=true;trustStorePassword=******
					spring.datasource.url | jdbc:mysql://db/app?keyStorePassword=s3cret&sslMode=VERIFY_CA | jdbc:mysql://db/app?keyStorePassword=******&sslMode=VERIFY_CA
					spring.datasource.url | jdbc:postgresql://(host=db,sslpassword=s3cret)/app | jdbc:postgresql://(host=db,sslpassword=******)/app
					app.url               | https://api.example.com/v1?accessToken=s3cret | https://api.example.com/v1?accessToken=******
					app.url               | https://api.example.com/v1?access_token=s3cret&page=2 | https://api.example.com/v1?access_token=******&page=2
					app.url               | https://login.example.com/token?client_id=app&client_secret=s3cret | https://login.example.com/token?client_id=app&client_secret=******
					pool.http.hosts.billing.base-url | https://api.example.com/v1?api_key=s3cret | https://api.example.com/v1?api_key=******
					app.url               | https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=s3cret | https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=******
					""")
	void endpointsShowNoPoolCredential(String key, String value, String shown) {
		Object sanitized = this.function.apply(new SanitizableData(null, key, value)).getValue();
		assertThat(sanitized).hasToString(shown).asString().doesNotContain("s3cret");
	}

	/**
	 * The paths of the secret files, the provider's bean name and the check interval are
	 * shown: they are where a secret is, not the secret.
	 */
	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			pool.credentials.password-file                         | /var/run/secrets/db/password
			pool.credentials.username-file                         | /var/run/secrets/db/username
			POOL_CREDENTIALS_PASSWORDFILE                          | /var/run/secrets/db/password
			pool.read.credentials.password-file                    | /vault/secrets/replica
			pool.datasources[orders].credentials.passwordFile      | /vault/secrets/orders
			pool.credentials.provider                              | iamTokens
			pool.credentials.check-interval                        | 5s
			""")
	void endpointsShowWhereASecretIs(String key, String value) {
		assertThat(this.function.apply(new SanitizableData(null, key, value)).getValue()).isEqualTo(value);
	}

}
