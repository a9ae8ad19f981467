using Ferry.Host;

namespace Ferry.Memory;

// Pages of a file mapping that lie past the end of the file raise SIGBUS on Linux. The host would
// deliver SIGBUS to the emulator itself, which .NET cannot survive, so those pages carry the Bus flag
// and every guest access to them is refused before the host touches them.
public sealed unsafe partial class GuestMemory
{
    private readonly List<FileMapping> _files = new();
    private readonly Lock _filesLock = new();

    /// <summary>True when some guest mapping is backed by a file (writes may then move an end of file).</summary>
    public bool HasFileMappings { get; private set; }

    private static bool Identify(int hostFd, out ulong dev, out ulong ino, out ulong size)
    {
        byte* x = stackalloc byte[256];
        byte empty = 0;
        dev = ino = size = 0;
        if (LibC.Statx(hostFd, &empty, 0x1000 /* AT_EMPTY_PATH */, 0x7ff, x) != 0) return false;
        dev = ((ulong)*(uint*)(x + 136) << 32) | *(uint*)(x + 140);
        ino = *(ulong*)(x + 32);
        size = *(ulong*)(x + 40);
        // Only regular files have an end that moves; devices and others map as they are.
        return (*(ushort*)(x + 28) & 0xF000) == 0x8000;
    }

    private void RegisterFile(ulong start, ulong length, long offset, int hostFd)
    {
        if (!Identify(hostFd, out var dev, out var ino, out var size)) return;
        var m = new FileMapping(start, length, (ulong)offset, dev, ino);
        lock (_filesLock) { _files.Add(m); HasFileMappings = true; }
        ApplyEnd(m, size);
    }

    private void ApplyEnd(FileMapping m, ulong fileSize)
    {
        ulong end = (fileSize + PageMap.PageMask) & ~PageMap.PageMask;
        for (ulong off = 0; off < m.Length; off += PageMap.PageSize)
        {
            ulong page = (m.Start + off) >> PageMap.PageShift;
            if ((_t[page] & (byte)PageFlags.Mapped) == 0) continue;
            if (m.Offset + off >= end) _t[page] |= (byte)PageFlags.Bus;
            else _t[page] &= unchecked((byte)~PageFlags.Bus);
        }
    }

    /// <summary>Forgets file mappings inside [start, start+length), trimming those that straddle it.</summary>
    private void UnregisterFiles(ulong start, ulong length)
    {
        if (!HasFileMappings) return;
        ulong end = start + length;
        lock (_filesLock)
        {
            for (int n = _files.Count - 1; n >= 0; n--)
            {
                var m = _files[n];
                ulong mEnd = m.Start + m.Length;
                if (mEnd <= start || m.Start >= end) continue;
                _files.RemoveAt(n);
                if (m.Start < start) _files.Add(m with { Length = start - m.Start });
                if (mEnd > end) _files.Add(m with { Start = end, Length = mEnd - end, Offset = m.Offset + (end - m.Start) });
            }
            for (ulong p = start >> PageMap.PageShift; p < end >> PageMap.PageShift && p < PageMap.PageCount; p++)
                _t[p] &= unchecked((byte)~PageFlags.Bus);
            HasFileMappings = _files.Count > 0;
        }
    }

    /// <summary>Re-reads the size of the file behind <paramref name="hostFd"/> and updates the SIGBUS pages of
    /// every mapping of it (after ftruncate, truncate or a write that may have extended it).</summary>
    public void FileSizeChanged(int hostFd)
    {
        if (!HasFileMappings || !Identify(hostFd, out var dev, out var ino, out var size)) return;
        List<FileMapping> hits;
        lock (_filesLock) hits = _files.Where(m => m.Device == dev && m.Inode == ino).ToList();
        foreach (var m in hits) ApplyEnd(m, size);
    }
}
