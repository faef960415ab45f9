#!/usr/bin/env bash
# Reproduce the README's performance figures: build the starter, the sample app and the
# benchmarks, then run every benchmark and write benchmarks/results/RESULTS.md and chart.svg.
# Takes about 20 minutes. Arguments go to the runner: --only=hotpath,postgres,sqlite,http,startup,
# --smoke (one short iteration of each), --out=DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -q -pl benchmarks,sample-app -am package -DskipTests
exec java -jar benchmarks/target/benchmarks.jar "$@"
