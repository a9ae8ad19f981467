#!/usr/bin/env bash
# What exec in place saves: a dash script that starts N processes (default 300: /bin/true, expr, and
# subshell pipelines) runs natively, under Ferry (fork, then exec replaces the image in the same warm
# runtime) and under Ferry with FERRY_EXEC_IN_PLACE=0 (every exec of an x86-64 program starts a fresh
# ferry host process, with a new .NET runtime). N counts the programs executed (four per round: true,
# expr, tr and wc; the subshell and the pipeline also fork). Output must be identical; prints wall seconds, the
# cost per process and the ratio to native. Usage: bench/exec.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-300}
dotnet build src/Ferry.Cli -c Release --nologo -v q >/dev/null
ferry=(dotnet src/Ferry.Cli/bin/Release/net10.0/Ferry.Cli.dll)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Each round starts four processes: true, expr, and a pipeline of two in a subshell (the subshell is a
# fork without exec; echo is dash's builtin).
script='i=0; s=0
while [ $i -lt $1 ]; do
  /bin/true
  s=$(expr $s + $i)
  ( echo $i | /usr/bin/tr 0-9 a-j | /usr/bin/wc -c ) >/dev/null
  i=$((i + 4))
done
echo "rounds $((i / 4)) sum $s"'
# Prints "cpu wall" in seconds.
run() {
  /usr/bin/time -f '%U %S %e' -o "$out/$label.time" "$@" /bin/sh -c "$script" sh "$n" >"$out/$label.out"
  read -r u s e <"$out/$label.time"; echo "$(echo "$u + $s" | bc -l) $e"
}
label=native; read -r tn wn < <(run env)
label=inplace; read -r ti wi < <(run "${ferry[@]}")
label=fresh; read -r tf wf < <(run env FERRY_EXEC_IN_PLACE=0 "${ferry[@]}")
for l in inplace fresh; do cmp -s "$out/native.out" "$out/$l.out" || { echo "$l output differs from native" >&2; exit 1; }; done
procs=$n
printf '%-30s %9s %9s %16s %10s\n' run cpu-s wall-s cpu-ms/program vs-native
for row in "native:$tn:$wn" "ferry, exec in place:$ti:$wi" "ferry, fresh runtime per exec:$tf:$wf"; do
  IFS=: read -r name t w <<<"$row"
  printf '%-30s %9.2f %9.2f %16.1f %9.1fx\n' "$name" "$t" "$w" "$(echo "1000 * $t / $procs" | bc -l)" "$(echo "$t / $tn" | bc -l)"
done
echo "($(cat "$out/native.out"); $procs programs executed per run)"
