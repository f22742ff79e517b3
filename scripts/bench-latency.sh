#!/usr/bin/env bash
# bench-latency.sh: how long a full conformance run takes against a server
# some milliseconds away, and what it costs in memory.
#
# It builds scimconform and internal/tools/latencyproxy, starts
# `scimconform serve` on loopback behind the proxy (which adds a fixed delay
# to every request and counts requests and peak in-flight requests), then runs
# `scimconform run --url <proxy>` for each delay and parallelism, and the
# embedded run (no --url) once. For each run it prints the wall time, the
# requests and peak in-flight requests the proxy saw, the peak memory of the
# harness process tree sampled every 50 ms (rss_MiB: RSS summed over the
# processes, which counts the shared executable once per process; pss_MiB:
# PSS summed, what the tree really costs; proc_MiB: the largest RSS of a
# single process), and the verdict line.
#
# Settings (environment):
#   DELAYS="20 100"       delays in milliseconds
#   PARALLEL="1 default"  --parallel values; "default" passes no --parallel.
#                         --parallel is passed only if `run --help` lists it
#                         (a value other than 1 is skipped otherwise).
#   EMBEDDED=1            also time the embedded run (0: skip)
#   RUN_ARGS=""           extra arguments for every `scimconform run`
#   KEEP_TMP=0            1: keep the temp dir (binaries, reports, logs)
#
# Usage: scripts/bench-latency.sh
set -euo pipefail

DELAYS=${DELAYS:-"20 100"}
PARALLEL=${PARALLEL:-"1 default"}
EMBEDDED=${EMBEDDED:-1}
RUN_ARGS=${RUN_ARGS:-}
KEEP_TMP=${KEEP_TMP:-0}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/scimconform-bench.XXXXXX")
pids=()

cleanup() {
	local pid
	for pid in "${pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	if [[ $KEEP_TMP == 1 ]]; then
		echo "kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT

die() {
	echo "bench-latency: $*" >&2
	exit 2
}

# wait_for_line FILE PATTERN: waits up to 10 s for a line matching PATTERN.
wait_for_line() {
	local i
	for i in $(seq 100); do
		if grep -q -- "$2" "$1" 2>/dev/null; then
			grep -m1 -- "$2" "$1"
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# tree_mem PID: "rss_kib pss_kib max_rss_kib": RSS and PSS summed over PID
# and all its descendants, and the largest RSS of one of them. The RSS sum
# counts the pages the processes share (the executable) once per process;
# PSS splits them among the sharers, so the PSS sum is what the tree costs.
tree_mem() {
	ps -e -o pid=,ppid=,rss= | awk -v root="$1" '
		{ parent[$1] = $2; rss[$1] = $3 }
		END {
			for (p in parent) {
				q = p
				for (depth = 0; q != "" && q != 0 && depth < 64; depth++) {
					if (q == root) { inTree[p] = 1; break }
					q = parent[q]
				}
			}
			total = 0; pss = 0; havePss = 1; maxRss = 0
			for (p in inTree) {
				total += rss[p]
				if (rss[p] > maxRss) maxRss = rss[p]
				f = "/proc/" p "/smaps_rollup"; got = 0
				while ((getline line < f) > 0) {
					if (line ~ /^Pss:/) { split(line, a, " "); pss += a[2]; got = 1 }
				}
				close(f)
				if (!got) havePss = 0
			}
			printf "%d %s %d\n", total, (havePss ? pss : "-"), maxRss
		}'
}

# measure OUTFILE CMD...: runs CMD in the background, samples the memory of
# its process tree every 50 ms, and writes
# "wall_s peak_rss_kib peak_pss_kib peak_proc_rss_kib exit".
measure() {
	local out=$1
	shift
	local start end pid rss pss prss peak_rss=0 peak_pss=0 peak_prss=0 code=0 m
	start=$(date +%s.%N)
	"$@" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		read -r rss pss prss <<<"$(tree_mem "$pid")"
		((rss > peak_rss)) && peak_rss=$rss
		((prss > peak_prss)) && peak_prss=$prss
		[[ $pss != "-" ]] && ((pss > peak_pss)) && peak_pss=$pss
		sleep 0.05
	done
	wait "$pid" || code=$?
	end=$(date +%s.%N)
	echo "$(echo "$end - $start" | bc) $peak_rss $peak_pss $peak_prss $code" >"$out"
}

mib() { echo "scale=1; $1 / 1024" | bc; }

verdict_of() { grep -E '(NOT )?CONFORMANT' "$1" | tail -n1 | sed -E 's/^[[:space:]]+//' || echo "(no verdict line)"; }

echo "building into $tmp ..." >&2
(cd "$root" && go build -o "$tmp/scimconform" ./cmd/scimconform && go build -o "$tmp/latencyproxy" ./internal/tools/latencyproxy) ||
	die "build failed"
bin=$tmp/scimconform

has_parallel=0
# Not `run --help | grep -q`: with pipefail, grep quitting early can make
# the pipeline fail (SIGPIPE) and skip every --parallel row.
help_text=$("$bin" run --help 2>&1 || true)
if [[ $help_text == *--parallel* ]]; then
	has_parallel=1
fi

token=bench-$RANDOM$RANDOM
SCIMCONFORM_SERVE_TOKEN=$token "$bin" serve --addr 127.0.0.1:0 >"$tmp/serve.log" 2>&1 &
pids+=($!)
base=$(wait_for_line "$tmp/serve.log" 'base URL:' | awk '{print $3}') || die "serve did not start: $(cat "$tmp/serve.log")"
origin=${base%/scim/v2}
path=${base#"$origin"}

rows=()
for delay in $DELAYS; do
	for par in $PARALLEL; do
		args=()
		if [[ $par != default ]]; then
			if ((has_parallel)); then
				args=(--parallel "$par")
			elif [[ $par != 1 ]]; then
				rows+=("$(printf '%-8s %-9s %s' "${delay}ms" "$par" "skipped: run --help lists no --parallel")")
				continue
			fi
		fi
		label=d${delay}-p${par}
		"$tmp/latencyproxy" --target "$origin" --delay "${delay}ms" >"$tmp/proxy-$label.log" 2>&1 &
		ppid_=$!
		pids+=("$ppid_")
		purl=$(wait_for_line "$tmp/proxy-$label.log" 'listening on' | awk '{print $3}') || die "proxy did not start"
		echo "run: delay ${delay}ms, parallel $par ..." >&2
		# shellcheck disable=SC2086 # RUN_ARGS is split on purpose
		measure "$tmp/m-$label" env SCIMCONFORM_TOKEN="$token" NO_COLOR=1 \
			"$bin" run --url "$purl$path" --out "$tmp/report-$label" "${args[@]}" $RUN_ARGS >"$tmp/run-$label.log" 2>&1 || true
		kill -TERM "$ppid_" && wait "$ppid_" || true
		read -r wall rss pss prss code <"$tmp/m-$label"
		stats=$(grep -m1 '^requests=' "$tmp/proxy-$label.log" || echo "requests=? peak_in_flight=?")
		reqs=${stats#requests=}
		reqs=${reqs%% *}
		peak=${stats##*peak_in_flight=}
		rows+=("$(printf '%-8s %-9s %8.1f %9s %9s %9s %9s %9s  exit %s: %s' "${delay}ms" "$par" "$wall" "$reqs" "$peak" \
			"$(mib "$rss")" "$(mib "$pss")" "$(mib "$prss")" "$code" "$(verdict_of "$tmp/run-$label.log")")")
	done
done

if [[ $EMBEDDED == 1 ]]; then
	echo "run: embedded ..." >&2
	# shellcheck disable=SC2086
	measure "$tmp/m-embedded" env NO_COLOR=1 "$bin" run --out "$tmp/report-embedded" $RUN_ARGS >"$tmp/run-embedded.log" 2>&1 || true
	read -r wall rss pss prss code <"$tmp/m-embedded"
	rows+=("$(printf '%-8s %-9s %8.1f %9s %9s %9s %9s %9s  exit %s: %s' "embedded" "default" "$wall" "-" "-" \
		"$(mib "$rss")" "$(mib "$pss")" "$(mib "$prss")" "$code" "$(verdict_of "$tmp/run-embedded.log")")")
fi

echo
where="reports in $tmp"
[[ $KEEP_TMP == 1 ]] || where="reports removed at exit (KEEP_TMP=1 keeps them)"
echo "$("$bin" version 2>/dev/null | head -n1), $(nproc) CPUs, $where"
printf '%-8s %-9s %8s %9s %9s %9s %9s %9s  %s\n' delay parallel wall_s requests peak_infl rss_MiB pss_MiB proc_MiB verdict
for r in "${rows[@]}"; do
	echo "$r"
done
