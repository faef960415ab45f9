#!/usr/bin/env bash
# Run a command while 2 × nproc busy loops keep every core saturated, the way a shared CI
# machine with other builds running is, and stop the loops afterwards whatever happens
# (success, failure, Ctrl-C). Exits with the command's exit code.
#
#   scripts/under-load.sh ./mvnw verify
#   HOGS=8 scripts/under-load.sh ./mvnw -pl pool-spring-boot-autoconfigure -am verify -Dtest=...
#
# Not part of CI: a way to show that the suite does not depend on the machine's speed.
set -uo pipefail

if [ "$#" -eq 0 ]; then
	echo "usage: $0 <command> [args...]" >&2
	exit 2
fi

hogs="${HOGS:-$(( 2 * $(nproc) ))}"
pids=()

stop_hogs() {
	local pid
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null
	done
	pids=()
}
trap stop_hogs EXIT
trap 'stop_hogs; exit 130' INT
trap 'stop_hogs; exit 143' TERM

for _ in $(seq 1 "$hogs"); do
	# A busy loop in a shell of its own; killed by its process id, nothing else.
	bash -c 'while :; do :; done' &
	pids+=("$!")
done
echo "[under-load] $hogs busy loops running (nproc $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2

"$@"
status=$?
echo "[under-load] command exited with $status (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
exit "$status"
