using Iced.Intel;

namespace Ferry.Jit;

/// <summary>Counts, when <c>FERRY_JIT_FALLBACKS=1</c> (or <c>FERRY_JIT_TRACE=1</c>), the guest instructions that
/// compiled code runs and those of them that call their interpreter handler instead of inline code, by Iced
/// <see cref="Code"/>: the list of what to inline next.</summary>
/// <remarks>Compiled code adds a block's instruction count when it enters the block, so an early exit (a
/// fault, a stop after a handler) counts the rest of the block too: the total is an upper bound. The counts
/// are plain increments: a second guest thread may lose some, which does not matter for a ranking.</remarks>
public static class FallbackCounter
{
    /// <summary>Whether translations emit the counting code (read once, when the process starts).</summary>
    public static readonly bool Enabled =
        Environment.GetEnvironmentVariable("FERRY_JIT_FALLBACKS") == "1" || Environment.GetEnvironmentVariable("FERRY_JIT_TRACE") == "1";

    /// <summary>Fall-backs run, indexed by <see cref="Code"/>; the last slot counts every instruction entered.</summary>
    // Sized only when counting: Enum.GetValues reads the metadata of every Code, at every start otherwise.
    public static readonly long[] Counts = new long[Enabled ? Enum.GetValues<Code>().Length + 1 : 1];

    /// <summary>The slot of <see cref="Counts"/> that counts every instruction compiled code entered.</summary>
    public static int TotalSlot => Counts.Length - 1;

    /// <summary>Prints the total, the fall-back fraction and the <paramref name="top"/> most frequent fall-backs.</summary>
    public static void Print(TextWriter w, int top = 25)
    {
        if (!Enabled) return;
        long total = Counts[TotalSlot], fallbacks = 0;
        for (int c = 0; c < TotalSlot; c++) fallbacks += Counts[c];
        w.WriteLine($"ferry: jit: {total} instructions entered in compiled code, {fallbacks} of them fall-backs ({(total == 0 ? 0 : 100.0 * fallbacks / total):F1} %)");
        var ranked = Enumerable.Range(0, TotalSlot).Where(c => Counts[c] != 0).OrderByDescending(c => Counts[c]).Take(top);
        foreach (int c in ranked)
            w.WriteLine($"ferry: jit:   {Counts[c],14} {(total == 0 ? 0 : 100.0 * Counts[c] / total),5:F1} %  {(Code)c}");
    }
}
