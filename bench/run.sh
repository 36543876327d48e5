#!/bin/bash
# make bench: forklab's costs, each measured beside its baseline in the same
# run, printed as ratios. Goals are printed beside the figures; a figure over
# its goal is reported, never hidden, but does not fail the run (speed is
# measured here, never asserted in tests).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh --bench
mkdir -p build/bench
cc -O2 bench/forkpipe.c -o build/bench/forkpipe

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
echo "machine: $(nproc) cores, ${cpu:-unknown cpu}, $(free -g | awk '/Mem/{print $2}') GiB, Linux $(uname -r), as $(id -un)"
echo

ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}x')" "$1" "$2"; }
mean() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print(r[int(sys.argv[2])]['mean'])" "$1" "$2"; }

echo "== start-up: whole processes (hyperfine, mean of many runs)"
cmds=("bin/forklab run -- /bin/true" "/bin/true")
command -v bwrap >/dev/null && cmds+=("bwrap --ro-bind / / --dev /dev --proc /proc --unshare-all /bin/true")
hyperfine -N --warmup 20 --runs 300 --export-json build/bench/startup.json "${cmds[@]}" >/dev/null 2>&1
fl=$(mean build/bench/startup.json 0); tr=$(mean build/bench/startup.json 1)
printf "forklab run -- /bin/true  %.2f ms   /bin/true %.2f ms   ratio %s  (goal: at most 2x)\n" \
	"$(python3 -c "print($fl*1000)")" "$(python3 -c "print($tr*1000)")" "$(ratio "$fl" "$tr")"
if [ ${#cmds[@]} -gt 2 ]; then
	bw=$(mean build/bench/startup.json 2)
	printf "bwrap /bin/true            %.2f ms   ratio %s  (for scale)\n" "$(python3 -c "print($bw*1000)")" "$(ratio "$bw" "$tr")"
fi
echo

echo "== per sandboxed run, inside one process (goal: at most 1.3x)"
build/bench/runs true 500
echo
echo "== fork-and-pipe program, 1,000 processes, 100,000 messages, traced vs bare (goal: at most 1.1x)"
build/bench/runs forkpipe
echo

echo "== forklab's own peak memory (GNU time, max resident set of forklab itself)"
m1=$(/usr/bin/time -f %M bin/forklab run -- /bin/true 2>&1 >/dev/null | tail -1)
m2=$(/usr/bin/time -f %M bin/forklab grade reference 2>&1 >/dev/null | tail -1)
echo "forklab run -- /bin/true: ${m1} KiB; forklab grade (all eight, parent process): ${m2} KiB  (goal: under 8192 KiB)"
echo

grade_time() { # label dir only goal
	local out
	out=$( { /usr/bin/time -f "%e %U %S" bin/forklab grade "$2" --only "$3" >/dev/null; } 2>&1 | tail -1)
	read -r wall user sys <<<"$out"
	printf "%-34s wall %5.2f s  cpu %5.2f s  (goal: %s)\n" "$1" "$wall" "$(python3 -c "print($user+$sys)")" "$4"
}
echo "== grading"
grade_time "correct, exercises 01-04" reference 01,02,03,04 "under 1.5 s wall"
grade_time "correct, all eight" reference 01,02,03,04,05,06,07,08 "under 3 s wall"
grade_time "everything hangs, exercises 01-04" bench/hang 01,02,03,04 "under 10 s wall"
grade_time "everything hangs, all eight" bench/hang 01,02,03,04,05,06,07,08 "under 20 s wall"

echo
bench/batch.sh
