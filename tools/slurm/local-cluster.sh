#!/bin/bash
# local-cluster.sh: a one-node Slurm cluster on this machine, from Debian's
# slurm-wlm and munge, to try tools/slurm/forklab-array.sbatch for real. Not
# part of make check (it needs root and starts daemons).
#
# It installs the packages if missing, writes a munge key and a slurm.conf
# under a temporary directory (nothing in /etc is changed; private ports and
# a private munge socket, so a real cluster on the machine is not touched),
# starts munged, slurmctld and slurmd, submits the array over a few
# submissions (copies of reference/, a stub, a compile error, a name with a
# space), waits for it, checks every report (valid JSON, the expected score)
# and stops the daemons, whatever happened. Prints the timings.
#   tools/slurm/local-cluster.sh            keep nothing
#   KEEP=1 tools/slurm/local-cluster.sh     keep the directory and its logs
set -euo pipefail
cd "$(dirname "$0")/../.."
tree=$(pwd)

if [ "$(id -u)" != 0 ]; then
	echo "local-cluster: needs root (daemons, and forklab's sandbox uids)" >&2
	exit 1
fi
missing=""
for p in slurm-wlm munge; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "local-cluster: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
make -s all

t_start=$(date +%s.%N)
tmp=$(mktemp -d /tmp/forklab-slurm.XXXXXX)
chmod 755 "$tmp"
pids=()
# shellcheck disable=SC2317 # called by the EXIT trap
stop() {
	local rc=$?
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null || true
	done
	if [ "$rc" != 0 ]; then
		echo "local-cluster: FAILED; logs:" >&2
		tail -n 20 "$tmp"/*.log >&2 || true
	fi
	if [ -n "${KEEP:-}" ] || [ "$rc" != 0 ]; then
		echo "local-cluster: kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
	exit "$rc"
}
trap stop EXIT
trap 'exit 130' INT TERM

# ---- munge: a key of its own, a socket of its own ----
mkdir -m 700 "$tmp/munge"
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge/munge.key"
munged --force --key-file="$tmp/munge/munge.key" \
	--socket="$tmp/munge/munge.socket" --pid-file="$tmp/munge/munged.pid" \
	--log-file="$tmp/munged.log" --seed-file="$tmp/munge/munged.seed"
pids+=("$(cat "$tmp/munge/munged.pid")")
echo "local-cluster: munged up ($(munge --socket="$tmp/munge/munge.socket" -n </dev/null | unmunge --socket="$tmp/munge/munge.socket" | grep -m1 STATUS))"

# ---- slurm: one node, this machine ----
mkdir -p "$tmp/state" "$tmp/spool" "$tmp/out"
cpus=$(nproc)
mem=$(($(awk '/MemTotal/{print $2}' /proc/meminfo) / 1024 / 2))
cat >"$tmp/slurm.conf" <<CONF
ClusterName=forklab
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
NodeName=forklab-node NodeHostname=$(hostname -s) NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=forklab Nodes=forklab-node Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$tmp/slurm.conf
slurmctld -f "$SLURM_CONF"
for _ in $(seq 100); do [ -s "$tmp/slurmctld.pid" ] && break; sleep 0.1; done
pids+=("$(cat "$tmp/slurmctld.pid")")
slurmd -f "$SLURM_CONF" -N forklab-node
for _ in $(seq 100); do [ -s "$tmp/slurmd.pid" ] && break; sleep 0.1; done
pids+=("$(cat "$tmp/slurmd.pid")")
for _ in $(seq 300); do
	sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^(idle|mixed)' && break
	sleep 0.1
done
echo "local-cluster: slurm up: $(sinfo -h -N -o '%N %T %c cpus')"
t_up=$(date +%s.%N)

# ---- the submissions, and what each must score (exercises 01 and 04) ----
subs=$tmp/subs
mkdir -p "$subs"
cp -r reference "$subs/ref-a"
cp -r reference "$subs/ref b"
cp -r exercises "$subs/stub"
cp -r tests/bad/compile-error "$subs/compile-error"
declare -A want=([ref-a]=200 ["ref b"]=200 [stub]=0 [compile-error]=0)
ls -d "$subs"/*/ >"$tmp/list.txt"
n=$(wc -l <"$tmp/list.txt")

# ---- the array ----
job=$(sbatch --parsable --array=0-$((n - 1)) --chdir="$tmp" \
	--export=ALL,FORKLAB="$tree/bin/forklab" \
	tools/slurm/forklab-array.sbatch "$tmp/list.txt" "$tmp/out" --only 01,04)
echo "local-cluster: submitted array job $job ($n tasks)"
for _ in $(seq 1200); do
	[ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
	sleep 0.25
done
t_done=$(date +%s.%N)
if [ -n "$(squeue -h -j "$job")" ]; then
	echo "local-cluster: the array did not finish in 5 minutes" >&2
	scancel "$job" || true
	exit 1
fi

# ---- the reports ----
fail=0
for dir in "$subs"/*/; do
	name=$(basename "$dir")
	report=$tmp/out/$(printf '%s' "$name" | sed 's/ /%20/g').json
	score=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["score"])' "$report" 2>/dev/null || echo none)
	if [ "$score" = "${want[$name]}" ]; then
		echo "local-cluster: ok   $name: $score"
	else
		echo "local-cluster: FAIL $name: score $score, expected ${want[$name]}" >&2
		fail=1
	fi
done
cat "$tmp"/forklab-*.log | grep -v '^forklab-array: task' >&2 || true
python3 - "$t_start" "$t_up" "$t_done" "$n" <<'EOF'
import sys
s, up, done, n = map(float, sys.argv[1:])
print(f"local-cluster: daemons up in {up - s:.1f} s; {int(n)} array tasks graded in {done - up:.1f} s (submit to last report)")
EOF
[ "$fail" = 0 ] && echo "local-cluster: $n passed, 0 failed"
exit "$fail"
