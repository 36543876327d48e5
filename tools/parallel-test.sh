#!/bin/bash
# parallel-test.sh: forklab fanned out by GNU parallel, checked against
# `forklab batch` on the same submissions. Not part of make check: it needs
# Debian's package "parallel" (it says so and stops if it is missing).
#
# 1. here:      parallel -j2 bin/forklab grade {} -o OUT/{/}.json ::: SUBS/*
# 2. --sshlogin: the same through two "hosts" (-S 1/hostA,1/hostB), with a
#    stand-in for ssh that runs the command here, so parallel's remote path
#    (its quoting, its job slots per host) is exercised without sshd; on a
#    real cluster drop --ssh and name real hosts (see README, "Beyond one
#    machine").
# Every report must be valid JSON with the score the batch's gradebook gives
# the same submission. Prints "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
tree=$(pwd)
if ! command -v parallel >/dev/null; then
	echo "parallel-test: GNU parallel is missing (apt-get install parallel)" >&2
	exit 1
fi
make -s all

tmp=$(mktemp -d /tmp/forklab-parallel.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
subs=$tmp/subs
mkdir -p "$subs" "$tmp/local" "$tmp/ssh" "$tmp/batch"
cp -r reference "$subs/ref"
cp -r exercises "$subs/stub"
cp -r tests/bad/compile-error "$subs/compile-error"
cp -r tests/submissions/01-spawn/errno-clobbered "$subs/with space"
only=01

# A stand-in for ssh: drops ssh's options, the host and "--", and runs the
# command with sh here, as sshd would run it with the user's shell there.
cat >"$tmp/ssh-here" <<'EOF'
#!/bin/sh
while [ $# -gt 0 ]; do
	case "$1" in
	-o | -p | -l | -i) shift 2 ;;
	-*) shift ;;
	*) break ;;
	esac
done
shift
[ "${1:-}" = "--" ] && shift
exec sh -c "$*"
EOF
chmod +x "$tmp/ssh-here"

t0=$(date +%s.%N)
parallel -j2 "$tree/bin/forklab" grade {} --only $only -o "$tmp/local/{/}.json" ::: "$subs"/*
t1=$(date +%s.%N)
parallel --ssh "$tmp/ssh-here" -S 1/hostA,1/hostB \
	"$tree/bin/forklab" grade {} --only $only -o "$tmp/ssh/{/}.json" ::: "$subs"/*
t2=$(date +%s.%N)
bin/forklab batch "$subs" --out "$tmp/batch" --only $only 2>/dev/null
t3=$(date +%s.%N)

python3 - "$tmp" "$t0" "$t1" "$t2" "$t3" <<'EOF'
import csv, json, os, sys
tmp = sys.argv[1]
t0, t1, t2, t3 = map(float, sys.argv[2:])
book = {r["id"]: int(r["total"]) for r in csv.DictReader(open(f"{tmp}/batch/gradebook.csv", newline=""))}
passed = failed = 0
for way in ("local", "ssh"):
    for sub in sorted(os.listdir(f"{tmp}/subs")):
        try:
            score = json.load(open(f"{tmp}/{way}/{sub}.json"))["score"]
        except (OSError, ValueError, KeyError) as e:
            score = f"no report ({e})"
        if score == book.get(sub):
            passed += 1
        else:
            failed += 1
            print(f"parallel-test: {way}: {sub}: {score}, batch says {book.get(sub)}")
print(f"parallel-test: parallel here {t1 - t0:.1f} s, through --sshlogin {t2 - t1:.1f} s, "
      f"forklab batch {t3 - t2:.1f} s ({len(book)} submissions)")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
EOF
