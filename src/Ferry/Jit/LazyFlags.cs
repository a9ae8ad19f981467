using System.Runtime.CompilerServices;
using Ferry.Cpu;

namespace Ferry.Jit;

/// <summary>The status flags of an arithmetic producer kept lazily by compiled code: when only a possible
/// fault (or an exit) could observe them, the code records the producer's kind, operands and result instead of
/// computing them, and computes them here, with the interpreter's <see cref="Flags"/> rules, on the rare paths
/// that need them exact (a guest access's full path, an unmasked SIMD exception, leaving the method).</summary>
internal static class LazyFlags
{
    /// <summary>The kind of a record: the rule in the low 4 bits (0 none), the operand size in bytes above.</summary>
    public const int Add = 1, Sub = 2, Logic = 3;

    /// <summary>The record's kind for <paramref name="rule"/> (1–3) and <paramref name="size"/> bytes.</summary>
    public static int Kind(int rule, int size) => rule | size << 4;

    /// <summary>RFLAGS with the status flags of the recorded r = a ± b (or logic result r) merged in.</summary>
    // Not inlined: the paths that call it are cold, and keeping it out of the generated methods is the point.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Materialize(ulong rflags, int kind, ulong a, ulong b, ulong r)
    {
        int size = kind >> 4;
        ulong f = (kind & 15) switch
        {
            Add => Flags.Add(a, b, r, 0, size),
            Sub => Flags.Sub(a, b, r, 0, size),
            _ => Flags.Logic(r, size),
        };
        return Flags.Merge(rflags, f, Flags.Status);
    }
}
