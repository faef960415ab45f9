package dev.pool;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials never survive {@link Credentials#mask}.
 */
class CredentialsTests {

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

}
