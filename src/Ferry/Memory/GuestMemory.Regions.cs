using Ferry.Host;

namespace Ferry.Memory;

// The guest's address space as /proc/self/maps and /proc/self/stat describe it: runs of guest pages
// with the same permissions, and how many of them are resident.
public sealed unsafe partial class GuestMemory
{
    private const PageFlags RegionBits = PageFlags.Read | PageFlags.Write | PageFlags.Exec | PageFlags.Mapped | PageFlags.Shared;

    /// <summary>Maximal runs of guest-owned pages with the same read/write/execute/shared flags, in address order.</summary>
    public List<(ulong Start, ulong End, PageFlags Flags)> Regions()
    {
        ulong[] chunks = ChunksInOrder();
        var runs = new List<(ulong Start, ulong End, PageFlags Flags)>();
        const ulong pagesPerChunk = 1UL << (ChunkShift - PageMap.PageShift);
        foreach (var c in chunks)
        {
            for (ulong p = c * pagesPerChunk, e = Math.Min(p + pagesPerChunk, PageMap.PageCount); p < e; p++)
            {
                var f = (PageFlags)_t[p] & RegionBits;
                if ((f & PageFlags.Mapped) == 0) continue;
                ulong a = p << PageMap.PageShift;
                if (runs.Count > 0 && runs[^1].End == a && runs[^1].Flags == f)
                    runs[^1] = (runs[^1].Start, a + PageMap.PageSize, f);
                else
                    runs.Add((a, a + PageMap.PageSize, f));
            }
        }
        return runs;
    }

    /// <summary>How many guest pages are resident in host memory (RSS as the guest would see it).</summary>
    public ulong ResidentPages()
    {
        ulong total = 0;
        foreach (var (start, end, _) in Regions()) total += ResidentPages(start, end);
        return total;
    }

    /// <summary>How many pages of the guest range [start, end) are resident in host memory.</summary>
    public ulong ResidentPages(ulong start, ulong end)
    {
        // mincore counts host pages, which are 16 KiB on some ARM64 hosts.
        ulong hostPage = (ulong)Environment.SystemPageSize, total = 0;
        var vec = new byte[1 << 16];
        for (ulong a = start & ~(hostPage - 1); a < end;)
        {
            ulong pages = Math.Min((end - a + hostPage - 1) / hostPage, (ulong)vec.Length);
            fixed (byte* v = vec)
                if (LibC.Mincore((void*)a, (nuint)(pages * hostPage), v) != 0) break;
            for (ulong k = 0; k < pages; k++) total += (ulong)(vec[k] & 1);
            a += pages * hostPage;
        }
        return total * hostPage / PageMap.PageSize;
    }
}
