#!/bin/bash
# bench/batch.sh: forklab batch over many whole submissions with the default
# --jobs. Each submission holds all eight files: the references', with one of
# them replaced by a case of tests/submissions (a classic bug, or a correct
# alternative), and every tenth is the reference alone; so every submission
# builds and runs every test, as a class's would. Prints submissions per
# minute, the time 1,000 would take, forklab's peak memory per grading
# process (its VmHWM, from the batch's records, first and last submissions
# apart to show it stays flat) and of the batch itself, the resume pass, and
# whether every verdict is the one the data expects (timing checks under the
# batch's load). BATCH_N=50 bench/batch.sh for a shorter run.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${BATCH_N:-200}
root=build/bench/batch
fl=bin/forklab

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
echo "== batch: $n whole submissions, default --jobs (machine: $(nproc) cores, ${cpu:-unknown cpu}, $(free -g | awk '/Mem/{print $2}') GiB, Linux $(uname -r); load average before: $(cut -d' ' -f1-3 /proc/loadavg))"

rm -rf "$root"
mkdir -p "$root/subs"
mapfile -t cases < <(find tests/submissions -mindepth 2 -maxdepth 2 -type d | sort)
for ((i = 0; i < n; i++)); do
	d=$root/subs/$(printf 's%04d' "$i")
	mkdir "$d"
	cp reference/*/*.c "$d/"
	if ((i % 10 == 0)); then
		echo reference >"$root/subs/.source-$(basename "$d")"
	else
		c=${cases[$(((i - i / 10 - 1) % ${#cases[@]}))]}
		cp "$c"/*.c "$d/"
		echo "$c" >"$root/subs/.source-$(basename "$d")"
	fi
done

# GNU time adds up the CPU time of the batch and everything it ran (each
# process is reaped up the chain); the batch's own peak memory is sampled
# while it runs.
t0=$(date +%s.%N)
/usr/bin/time -o "$root/cpu" -f "%U %S" $fl batch "$root/subs" --out "$root/out" 2>"$root/log" &
pid=$!
hwm=0
while kill -0 "$pid" 2>/dev/null; do
	b=$(pgrep -P "$pid" | head -1 || true)
	v=""
	if [ -n "$b" ]; then
		v=$(awk '/VmHWM/{print $2}' "/proc/$b/status" 2>/dev/null || true)
	fi
	[ -n "$v" ] && hwm=$v
	sleep 0.5
done
rc=0
wait "$pid" || rc=$?
t1=$(date +%s.%N)
cpu=$(awk '{print $1 + $2}' "$root/cpu")
t2=$(date +%s.%N)
$fl batch "$root/subs" --out "$root/out" 2>>"$root/log"
t3=$(date +%s.%N)
grep -v '^forklab batch: \[' "$root/log" | sed 's/^/  /'
echo "  load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$root" "$n" "$t0" "$t1" "$t2" "$t3" "$hwm" "$rc" "$cpu" "$(nproc)" <<'EOF'
import csv, glob, json, os, sys
root, n, t0, t1, t2, t3, hwm, rc, cpu, cores = sys.argv[1:]
n, wall, resume = int(n), float(t1) - float(t0), float(t3) - float(t2)
cpu, cores = float(cpu), int(cores)
rate = n / wall * 60
print(f"batch exit code {rc}: {n} submissions in {wall:.1f} s: {rate:.1f} submissions/min;"
      f" 1,000 would take {1000 / rate:.1f} min  (goal: under 10 min on 2 cores)")
print(f"CPU time: {cpu / n:.2f} s per submission, {cpu / wall / cores * 100:.0f}% of {cores} cores;"
      f" so 1,000 take at least {1000 * cpu / n / cores / 60:.1f} min on {cores} cores, all busy")
peaks = []
for f in sorted(glob.glob(f"{root}/out/.forklab-batch/*.json")):
    peaks.append(json.load(open(f))["peak_kib"])
k = max(1, len(peaks) // 10)
print(f"peak memory of a grading process (VmHWM): max {max(peaks)} KiB; first {k}: mean "
      f"{sum(peaks[:k]) / k:.0f} KiB, last {k}: mean {sum(peaks[-k:]) / k:.0f} KiB"
      f"  (goal: under 8192 KiB, flat)")
print(f"peak memory of the batch process itself: {hwm} KiB")
print(f"second run, nothing changed: {resume:.2f} s for {n} submissions (resumed from the reports)")
# every verdict against the data's expectations
bad = 0
rows = {r["id"]: r for r in csv.DictReader(open(f"{root}/out/gradebook.csv", newline=""))}
for sub in sorted(os.listdir(f"{root}/subs")):
    if sub.startswith("."):
        continue
    src = open(f"{root}/subs/.source-{sub}").read().strip()
    rep = json.load(open(f"{root}/out/{sub}.json"))
    want = {}
    if src != "reference":
        ex = src.split("/")[2]
        line = open(f"{src}/expect").readline().strip()
        want[ex] = "" if line == "lose: none" else line[6:]
    for e in rep["exercises"]:
        lost = " ".join(str(t["check"]) for t in e["tests"] if t["status"] != "passed")
        if e["status"] != "graded" or lost != want.get(e["id"], ""):
            bad += 1
            print(f"  {sub} ({src}): {e['id']} lost '{lost}', expected '{want.get(e['id'], '')}'")
    if int(rows[sub]["total"]) != rep["score"]:
        bad += 1
        print(f"  {sub}: gradebook total {rows[sub]['total']} != report {rep['score']}")
print(f"verdicts differing from the data's expectations under the batch's load: {bad}")
EOF
