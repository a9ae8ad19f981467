using Ferry.Memory;

namespace Ferry.Jit;

/// <summary>Records the guest stores of a compiled block under co-simulation (old and new values),
/// so the stores can be undone before the interpreter repeats the block, and the results compared.</summary>
public static class StoreJournal
{
    private readonly record struct Entry(ulong Address, int Size, ulong Old, ulong New);

    [ThreadStatic] private static List<Entry>? _entries;

    internal static void Begin() => (_entries ??= new List<Entry>()).Clear();

    /// <summary>The store compiled code makes under co-simulation: the same checked write, journaled.</summary>
    public static void Write(GuestMemory m, ulong a, ulong v, int size)
    {
        // A store that would fault faults as the store itself (a write fault), leaving no entry. Otherwise the
        // page is writable, and writable guest pages are readable, so the old value can be read first.
        if (!m.CanAccess(a, (ulong)size, PageFlags.Write)) m.Write(a, size, v);
        ulong old = m.Read(a, size);
        m.Write(a, size, v);
        _entries!.Add(new Entry(a, size, old, v));
    }

    /// <summary>The bytes the journaled stores left, by address.</summary>
    internal static Dictionary<ulong, byte> FinalBytes()
    {
        var d = new Dictionary<ulong, byte>();
        foreach (var e in _entries!)
            for (int j = 0; j < e.Size; j++) d[e.Address + (ulong)j] = (byte)(e.New >> (8 * j));
        return d;
    }

    /// <summary>Puts back what the journaled stores overwrote, newest first.</summary>
    internal static void Undo(GuestMemory m)
    {
        for (int n = _entries!.Count - 1; n >= 0; n--) m.Write(_entries[n].Address, _entries[n].Size, _entries[n].Old);
        _entries.Clear();
    }
}
