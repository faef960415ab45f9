#!/usr/bin/env bash
# Reproduce the README's performance figures: build the starter, the sample app and the
# benchmarks, then run every benchmark and write benchmarks/results/RESULTS.md and chart.svg.
# Takes about 20 minutes. Arguments go to the runner: --only=hotpath,postgres,sqlite,http,startup,
# startup-no-key,virtual-threads,r2dbc, --smoke (one short iteration of each), --out=DIR. The JVM is $JAVA_HOME's when
# set: virtual-threads needs Java 21+ (JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64).
set -euo pipefail
cd "$(dirname "$0")/.."

# A sample-app jar left from an earlier build is not rebuilt by `package` when the app's own
# classes did not change, and would start with the starter it was first built with.
rm -f sample-app/target/sample-app-*.jar
./mvnw -q -pl benchmarks,sample-app -am package -DskipTests
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -jar benchmarks/target/benchmarks.jar "$@"
