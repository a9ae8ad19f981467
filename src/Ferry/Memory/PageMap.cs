using Ferry.Host;

namespace Ferry.Memory;

/// <summary>One byte of <see cref="PageFlags"/> per 4 KiB guest page, in a flat table reserved
/// (not committed) for the whole guest address space, so a check is a shift and one load.</summary>
public sealed unsafe class PageMap : IDisposable
{
    public const int PageShift = 12;
    public const ulong PageSize = 1UL << PageShift;
    public const ulong PageMask = PageSize - 1;

    /// <summary>Guest addresses are below 2^<see cref="AddressBits"/>.</summary>
    public const int AddressBits = 47;
    public const ulong PageCount = 1UL << (AddressBits - PageShift);

    internal byte* Table { get; private set; }

    public PageMap()
    {
        const int protRw = 3, mapPrivateAnonNoReserve = 0x02 | 0x20 | 0x4000;
        void* p = LibC.Mmap(null, unchecked((nuint)PageCount), protRw, mapPrivateAnonNoReserve, -1, 0);
        if (p == (void*)-1)
            throw new InvalidOperationException($"cannot reserve the guest page map (errno {LibC.Errno})");
        Table = (byte*)p;
    }

    public PageFlags this[ulong page]
    {
        get => page < PageCount ? (PageFlags)Table[page] : PageFlags.None;
        set { if (page < PageCount) Table[page] = (byte)value; }
    }

    /// <summary>Sets the flags of every page in [start, start+length).</summary>
    public void Set(ulong start, ulong length, PageFlags flags)
    {
        for (ulong p = start >> PageShift, e = (start + length + PageMask) >> PageShift; p < e && p < PageCount; p++)
            Table[p] = (byte)flags;
    }

    /// <summary>True when every page of the range has all of <paramref name="need"/>.</summary>
    public bool All(ulong start, ulong length, PageFlags need, PageFlags forbid = PageFlags.None)
    {
        if (length == 0) return true;
        ulong end = start + length;
        if (end < start || (end - 1) >> AddressBits != 0) return false;
        for (ulong p = start >> PageShift, e = (end - 1) >> PageShift; p <= e; p++)
            if ((Table[p] & (byte)(need | forbid)) != (byte)need) return false;
        return true;
    }

    /// <summary>True when no page of the range belongs to the guest.</summary>
    public bool NoneMapped(ulong start, ulong length)
    {
        ulong end = start + length;
        for (ulong p = start >> PageShift, e = (end + PageMask) >> PageShift; p < e; p++)
            if (p >= PageCount || (Table[p] & (byte)PageFlags.Mapped) != 0) return false;
        return true;
    }

    public void Dispose()
    {
        if (Table != null) { LibC.Munmap(Table, unchecked((nuint)PageCount)); Table = null; }
    }
}
