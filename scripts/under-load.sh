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
command_pid=

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
interrupted() {
	# The command runs in the background (so that this script hears the signal at once):
	# stop it, and its busy loops, and report the signal.
	if [ -n "$command_pid" ]; then
		kill -TERM "$command_pid" 2>/dev/null
		wait "$command_pid" 2>/dev/null
	fi
	stop_hogs
	exit "$1"
}
trap stop_hogs EXIT
trap 'interrupted 130' INT
trap 'interrupted 143' TERM

for _ in $(seq 1 "$hogs"); do
	# A busy loop in a shell of its own; killed by its process id, nothing else.
	bash -c 'while :; do :; done' &
	pids+=("$!")
done
echo "[under-load] $hogs busy loops running (nproc $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2

"$@" &
command_pid=$!
wait "$command_pid"
status=$?
command_pid=
echo "[under-load] command exited with $status (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
exit "$status"
