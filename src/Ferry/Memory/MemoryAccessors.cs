using System.Reflection;

namespace Ferry.Memory;

/// <summary>The <see cref="GuestMemory"/> fast-path methods compiled code calls for guest loads and stores of
/// 1, 2, 4 and 8 bytes (index 0..3), in one of two flavours: ordered (volatile: acquire loads and release
/// stores, LDAPR/LDAR and STLR on ARM64) or plain. The JIT picks the set when it compiles a region, from
/// <see cref="GuestMemory.Accessors"/>; under tso, stack (RSP-relative) accesses use <see cref="Plain"/>.</summary>
public sealed class MemoryAccessors
{
    /// <summary><c>bool TryReadN(ulong address, out value)</c> by size index.</summary>
    public IReadOnlyList<MethodInfo> TryReads { get; }

    /// <summary><c>bool TryWriteN(ulong address, value)</c> by size index.</summary>
    public IReadOnlyList<MethodInfo> TryWrites { get; }

    /// <summary>True for the ordered set.</summary>
    public bool IsOrdered { get; }

    private MemoryAccessors(bool ordered)
    {
        IsOrdered = ordered;
        string infix = ordered ? "" : "Plain";
        TryReads = Find("TryRead" + infix);
        TryWrites = Find("TryWrite" + infix);
    }

    // A loop, not Select over an int[]: that LINQ has no ReadyToRun form and was JIT-compiled at the first compile.
    private static MethodInfo[] Find(string prefix)
    {
        var m = new MethodInfo[4];
        for (int x = 0; x < 4; x++)
            m[x] = typeof(GuestMemory).GetMethod(prefix + (8 << x)) ?? throw new MissingMethodException(nameof(GuestMemory), prefix + (8 << x));
        return m;
    }

    /// <summary>Volatile accesses (tso).</summary>
    public static MemoryAccessors Ordered { get; } = new(true);

    /// <summary>Plain accesses (relaxed, hardware, auto while unshared, tso stack accesses).</summary>
    public static MemoryAccessors Plain { get; } = new(false);
}
