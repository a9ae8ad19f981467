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

    private static MethodInfo[] Find(string prefix) =>
        [.. new[] { 8, 16, 32, 64 }.Select(bits => typeof(GuestMemory).GetMethod(prefix + bits) ?? throw new MissingMethodException(nameof(GuestMemory), prefix + bits))];

    /// <summary>Volatile accesses (tso).</summary>
    public static MemoryAccessors Ordered { get; } = new(true);

    /// <summary>Plain accesses (relaxed, hardware, auto while unshared, tso stack accesses).</summary>
    public static MemoryAccessors Plain { get; } = new(false);
}
