#!/usr/bin/env bash
# Builds bench/kernels.c and runs it natively, under Ferry with the JIT, and under Ferry's interpreter
# alone (at a smaller scale, normalised), one after the other in the same minute; prints each kernel's
# time in ms and its speed as a fraction of native. Usage: bench/kernels.sh [scale] (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-10}
iscale=$(( scale > 10 ? scale / 10 : 1 ))
out=$(mktemp -d)
gcc -O2 -static -o "$out/kernels" bench/kernels.c
dotnet build src/Ferry.Cli -c Release --nologo -v q >/dev/null
ferry=(dotnet src/Ferry.Cli/bin/Release/net10.0/Ferry.Cli.dll)
"$out/kernels" "$scale" >"$out/native.out" 2>"$out/native.ms"
"${ferry[@]}" --jit on "$out/kernels" "$scale" >"$out/jit.out" 2>"$out/jit.ms"
"${ferry[@]}" --jit off "$out/kernels" "$iscale" >"$out/interp.out" 2>"$out/interp.ms"
cmp -s "$out/native.out" "$out/jit.out" || { echo "JIT output differs from native" >&2; exit 1; }
printf '%-8s %10s %10s %12s %9s %9s\n' kernel native-ms jit-ms interp-ms* jit/nat interp/nat
paste "$out/native.ms" "$out/jit.ms" "$out/interp.ms" | while read -r k n _ j _ i; do
    i=$(echo "$i * $scale / $iscale" | bc -l)
    printf '%-8s %10.1f %10.1f %12.1f %8.1f%% %8.2f%%\n' "$k" "$n" "$j" "$i" "$(echo "100 * $n / $j" | bc -l)" "$(echo "100 * $n / $i" | bc -l)"
done
echo "* interpreter measured at scale $iscale and scaled to $scale"
rm -rf "$out"
