#!/usr/bin/env bash
# The cost of each memory model (--memory-model auto|hardware|tso|relaxed) on threaded workloads: each program
# runs natively and under Ferry in every mode, alternating, and the medians of the CPU times (user+sys of the
# whole process: on a machine that other jobs share, wall time mostly measures waiting for a core) are printed
# with the ratio of each mode to relaxed (1.00 = as fast as no ordering at all).
#   bench/memmodel.sh [--runs N]
# On an x86-64 host the modes differ little by construction: ordered loads and stores are plain MOVs there and
# hardware TSO is the architecture, so what shows is the interpreter's per-access choice and auto's switch. The
# numbers that matter come from ARM64 hosts, where tso means LDAPR/LDAR and STLR for every guest access.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    *) echo "bench/memmodel.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
"$root/ferry" --version >/dev/null 2>&1 || true   # builds Ferry when needed
dll="$root/artifacts/cli/Ferry.Cli.dll"
work="$(mktemp -d /tmp/ferry-memmodel-XXXXXX)"
trap 'rm -rf "$work"' EXIT

gcc -O2 -static -pthread -o "$work/atomics_2thr" "$root/bench/workloads/atomics_threads.c"
progs=(atomics_2thr)
for p in threads_mpmc_queue threads_seqlock threads_refcount threads_work_stealing threads_locked_ops; do
  gcc -O2 -static -pthread -o "$work/$p" "$root/tests/guest/$p.c"
  progs+=("$p")
done
declare -A args=([atomics_2thr]=1000000)

modes=(native relaxed hardware tso auto)
available_hw=1
dotnet "$dll" info --memory-model hardware | grep -q '^hardware TSO: yes' || available_hw=0

seconds() {
  /usr/bin/time -f '%U %S' -o "$work/t" "$@" >/dev/null 2>&1 || { echo "bench/memmodel.sh: $* failed" >&2; exit 1; }
  awk '{ printf "%.2f", $1 + $2 }' "$work/t"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

printf '%-22s' program; for m in "${modes[@]}"; do printf ' %10s' "$m"; done; printf '   %s\n' "tso/relaxed auto/relaxed"
for p in "${progs[@]}"; do
  declare -A times=()
  for ((r = 0; r < runs; r++)); do
    for m in "${modes[@]}"; do
      cmd=("$work/$p" ${args[$p]:-})
      if [[ $m == hardware && $available_hw == 0 ]]; then times[$m]+="nan "; continue; fi
      [[ $m != native ]] && cmd=(dotnet "$dll" --memory-model "$m" "${cmd[@]}")
      times[$m]+="$(seconds "${cmd[@]}") "
    done
  done
  declare -A med=()
  printf '%-22s' "$p"
  for m in "${modes[@]}"; do med[$m]=$(median ${times[$m]}); printf ' %9ss' "${med[$m]}"; done
  awk -v t="${med[tso]}" -v a="${med[auto]}" -v r="${med[relaxed]}" 'BEGIN { printf "   %11.2f %12.2f\n", t / r, a / r }'
  unset times med
done
