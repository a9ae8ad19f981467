using Ferry.Host;

namespace Ferry.Memory;

// Mapping operations: the emulator owns every guest mapping. Guest requests never clobber the
// runtime's memory: ranges the guest does not own are only ever mapped with MAP_FIXED_NOREPLACE.
public sealed unsafe partial class GuestMemory
{
    public const int ProtRead = 1, ProtWrite = 2, ProtExec = 4;
    public const int MapShared = 0x01, MapPrivate = 0x02, MapSharedValidate = 0x03, MapFixed = 0x10,
        MapAnonymous = 0x20, Map32Bit = 0x40, MapNoReserve = 0x4000, MapFixedNoReplace = 0x100000;
    private const int Einval = 22, Enomem = 12, Eexist = 17;

    /// <summary>Called with a range whose decoded code is no longer valid (unmapped, remapped or made non-executable).</summary>
    public Action<ulong, ulong>? CodeUnmapped { get; set; }

    // 2 MiB chunks that ever held guest pages, so Dispose can give every guest mapping back without
    // scanning the whole page map.
    // A sorted array of chunk numbers, not a HashSet<ulong>: that instantiation has no ReadyToRun form and was
    // JIT-compiled at every start. Mappings arrive mostly in ascending order, so inserts are mostly appends.
    private ulong[] _chunks = new ulong[64];
    private int _chunkCount;
    private readonly Lock _chunkLock = new();
    private const int ChunkShift = 21;

    private void NoteChunks(ulong start, ulong length)
    {
        lock (_chunkLock)
            for (ulong c = start >> ChunkShift; c <= (start + length - 1) >> ChunkShift; c++) AddChunk(c);
    }

    private void AddChunk(ulong c)
    {
        int lo = 0, hi = _chunkCount;
        if (hi > 0 && _chunks[hi - 1] < c) lo = hi;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (_chunks[mid] < c) lo = mid + 1; else hi = mid;
        }
        if (lo < _chunkCount && _chunks[lo] == c) return;
        if (_chunkCount == _chunks.Length)
        {
            var bigger = new ulong[_chunks.Length * 2];
            Array.Copy(_chunks, bigger, _chunkCount);
            _chunks = bigger;
        }
        Array.Copy(_chunks, lo, _chunks, lo + 1, _chunkCount - lo);
        _chunks[lo] = c;
        _chunkCount++;
    }

    // The chunks that ever held guest pages, in address order.
    private ulong[] ChunksInOrder()
    {
        lock (_chunkLock)
        {
            var a = new ulong[_chunkCount];
            Array.Copy(_chunks, a, _chunkCount);
            return a;
        }
    }

    /// <summary>Unmaps every guest mapping (the process is gone).</summary>
    private void UnmapAll()
    {
        ulong[] chunks = ChunksInOrder();
        foreach (var c in chunks) Unmap(c << ChunkShift, 1UL << ChunkShift);
    }

    /// <summary>Unmaps every guest mapping (execve: the address space starts empty).</summary>
    public void Reset()
    {
        lock (_mapLock)
        {
            UnmapAll();
            lock (_chunkLock) _chunkCount = 0;
        }
    }

    // Guest threads map and unmap concurrently; the page map and the host mappings change together.
    private readonly object _mapLock = new();

    private static ulong PageUp(ulong v) => (v + PageMap.PageMask) & ~PageMap.PageMask;

    private static PageFlags GuestFlags(int prot, bool shared)
    {
        var f = PageFlags.Mapped;
        if ((prot & ProtRead) != 0) f |= PageFlags.Read;
        if ((prot & ProtWrite) != 0) f |= PageFlags.Write | PageFlags.Read;
        if ((prot & ProtExec) != 0) f |= PageFlags.Exec | PageFlags.Read;
        if (shared) f |= PageFlags.Shared;
        return f;
    }

    // Private pages stay writable on the host so the emulator itself can fill them (loader, signal
    // frames); the page map enforces the guest's view. Shared pages follow the guest protection.
    private static int HostProt(int prot, bool shared)
    {
        if (prot == 0) return 0;
        if (!shared) return ProtRead | ProtWrite;
        int p = ProtRead;
        if ((prot & ProtWrite) != 0) p |= ProtWrite;
        return p;
    }

    private static int HostMapFlags(int flags)
    {
        // MAP_32BIT only exists on x86-64 hosts; elsewhere the hint is dropped.
        if ((flags & Map32Bit) != 0 && !System.Runtime.Intrinsics.X86.X86Base.IsSupported) flags &= ~Map32Bit;
        return flags & ~(MapFixed | MapFixedNoReplace);
    }

    /// <summary>Reserves with PROT_NONE every part of the range the guest does not own yet, so a
    /// following MAP_FIXED replaces only guest memory. Returns false if the host already uses some of it.</summary>
    private bool ClaimUnowned(ulong start, ulong length)
    {
        ulong p = start >> PageMap.PageShift, end = (start + length) >> PageMap.PageShift;
        while (p < end)
        {
            if (((PageFlags)_t[p] & PageFlags.Mapped) != 0) { p++; continue; }
            ulong q = p;
            while (q < end && ((PageFlags)_t[q] & PageFlags.Mapped) == 0) q++;
            ulong a = p << PageMap.PageShift, len = (q - p) << PageMap.PageShift;
            void* r = LibC.Mmap((void*)a, (nuint)len, 0, MapPrivate | MapAnonymous | MapNoReserve | MapFixedNoReplace, -1, 0);
            if (r == (void*)-1) return false;
            if ((ulong)r != a) { LibC.Munmap(r, (nuint)len); return false; }
            _map.Set(a, len, PageFlags.Mapped);
            NoteChunks(a, len);
            p = q;
        }
        return true;
    }

    /// <summary>mmap as the guest sees it. Returns the address or minus errno.</summary>
    public long Map(ulong addr, ulong length, int prot, int flags, int hostFd, long offset)
    {
        lock (_mapLock) return MapLocked(addr, length, prot, flags, hostFd, offset);
    }

    private long MapLocked(ulong addr, ulong length, int prot, int flags, int hostFd, long offset)
    {
        if (length == 0 || (offset & (long)PageMap.PageMask) != 0) return -Einval;
        length = PageUp(length);
        if (length == 0 || length >= 1UL << PageMap.AddressBits) return -Enomem;
        bool shared = (flags & 3) == MapShared || (flags & 3) == MapSharedValidate;
        int hostFlags = HostMapFlags(flags);
        if ((flags & MapAnonymous) != 0) hostFd = -1;
        ulong result;
        if ((flags & (MapFixed | MapFixedNoReplace)) != 0)
        {
            if ((addr & PageMap.PageMask) != 0) return -Einval;
            if (addr + length > 1UL << PageMap.AddressBits || addr + length < addr) return -Enomem;
            bool noReplace = (flags & MapFixed) == 0;
            if (noReplace && !_map.NoneMapped(addr, length)) return -Eexist;
            if (!ClaimUnowned(addr, length)) return noReplace ? -Eexist : -Enomem;
            void* r = LibC.Mmap((void*)addr, (nuint)length, HostProt(prot, shared), hostFlags | MapFixed, hostFd, offset);
            if (r == (void*)-1)
            {
                int e = LibC.Errno;
                return -e;
            }
            result = addr;
            CodeUnmapped?.Invoke(addr, length);
        }
        else
        {
            void* hint = addr != 0 && _map.NoneMapped(PageUp(addr) & ~PageMap.PageMask, length) ? (void*)(addr & ~PageMap.PageMask) : null;
            void* r = LibC.Mmap(hint, (nuint)length, HostProt(prot, shared), hostFlags, hostFd, offset);
            if (r == (void*)-1) return -LibC.Errno;
            result = (ulong)r;
            if (result + length > 1UL << PageMap.AddressBits)
            {
                LibC.Munmap(r, (nuint)length);
                return -Enomem;
            }
        }
        UnregisterFiles(result, length);
        NoteChunks(result, length);
        // Another process can watch the order of this one's stores to a writable shared mapping.
        if (shared && (prot & ProtWrite) != 0) NoteConcurrency();
        _map.Set(result, length, GuestFlags(prot, shared));
        if (hostFd >= 0) RegisterFile(result, length, offset, hostFd);
        return (long)result;
    }

    /// <summary>munmap of guest pages only; pages the guest does not own are left alone.</summary>
    public long Unmap(ulong addr, ulong length)
    {
        lock (_mapLock) return UnmapLocked(addr, length);
    }

    private long UnmapLocked(ulong addr, ulong length)
    {
        if ((addr & PageMap.PageMask) != 0 || length == 0) return -Einval;
        length = PageUp(length);
        if (addr + length < addr || addr + length > 1UL << PageMap.AddressBits) return -Einval;
        ulong p = addr >> PageMap.PageShift, end = (addr + length) >> PageMap.PageShift;
        while (p < end)
        {
            if (((PageFlags)_t[p] & PageFlags.Mapped) == 0) { p++; continue; }
            ulong q = p;
            while (q < end && ((PageFlags)_t[q] & PageFlags.Mapped) != 0) q++;
            ulong a = p << PageMap.PageShift, len = (q - p) << PageMap.PageShift;
            LibC.Munmap((void*)a, (nuint)len);
            _map.Set(a, len, PageFlags.None);
            p = q;
        }
        UnregisterFiles(addr, length);
        CodeUnmapped?.Invoke(addr, length);
        return 0;
    }

    /// <summary>mprotect: every page must belong to the guest (else ENOMEM, as Linux).</summary>
    public long Protect(ulong addr, ulong length, int prot)
    {
        lock (_mapLock) return ProtectLocked(addr, length, prot);
    }

    private long ProtectLocked(ulong addr, ulong length, int prot)
    {
        if ((addr & PageMap.PageMask) != 0) return -Einval;
        length = PageUp(length);
        if (length == 0) return 0;
        if (!_map.All(addr, length, PageFlags.Mapped)) return -Enomem;
        ulong p = addr >> PageMap.PageShift, end = (addr + length) >> PageMap.PageShift;
        while (p < end)
        {
            bool shared = ((PageFlags)_t[p] & PageFlags.Shared) != 0;
            ulong q = p;
            while (q < end && (((PageFlags)_t[q] & PageFlags.Shared) != 0) == shared) q++;
            ulong a = p << PageMap.PageShift, len = (q - p) << PageMap.PageShift;
            if (LibC.Mprotect((void*)a, (nuint)len, HostProt(prot, shared)) != 0) return -LibC.Errno;
            if (shared && (prot & ProtWrite) != 0) NoteConcurrency();
            byte flags = (byte)GuestFlags(prot, shared);
            for (ulong q2 = p; q2 < q; q2++) _t[q2] = (byte)(flags | (_t[q2] & (byte)PageFlags.Bus));
            p = q;
        }
        if ((prot & ProtExec) == 0) CodeUnmapped?.Invoke(addr, length);
        return 0;
    }

    /// <summary>mremap with MREMAP_MAYMOVE (1) and MREMAP_FIXED (2).</summary>
    public long Remap(ulong oldAddr, ulong oldLength, ulong newLength, int flags, ulong newAddr)
    {
        lock (_mapLock) return RemapLocked(oldAddr, oldLength, newLength, flags, newAddr);
    }

    private long RemapLocked(ulong oldAddr, ulong oldLength, ulong newLength, int flags, ulong newAddr)
    {
        if ((oldAddr & PageMap.PageMask) != 0 || newLength == 0) return -Einval;
        oldLength = PageUp(oldLength); newLength = PageUp(newLength);
        if (oldLength == 0 || !_map.All(oldAddr, oldLength, PageFlags.Mapped)) return -14; // EFAULT
        var flagsOfRange = (PageFlags)_t[oldAddr >> PageMap.PageShift];
        if ((flags & 2) != 0)
        {
            if ((newAddr & PageMap.PageMask) != 0 || (flags & 1) == 0) return -Einval;
            if (newAddr + newLength > 1UL << PageMap.AddressBits) return -Einval;
            if (!ClaimUnowned(newAddr, newLength)) return -Enomem;
        }
        else if (newLength > oldLength && !_map.NoneMapped(oldAddr + oldLength, newLength - oldLength))
        {
            // Growing in place would run into other guest pages; the host cannot tell, so decide here.
            if ((flags & 1) == 0) return -Enomem;
            flags |= 4; // force a move: MREMAP_DONTUNMAP is not meant; handled below
        }
        bool forceMove = (flags & 4) != 0;
        flags &= 3;
        void* r;
        if (forceMove)
        {
            long dest = Map(0, newLength, 0, MapPrivate | MapAnonymous | MapNoReserve, -1, 0);
            if (dest < 0) return dest;
            r = LibC.Mremap((void*)oldAddr, (nuint)oldLength, (nuint)newLength, 3, (void*)dest);
        }
        else
        {
            r = LibC.Mremap((void*)oldAddr, (nuint)oldLength, (nuint)newLength, flags, (void*)newAddr);
        }
        if (r == (void*)-1) return -LibC.Errno;
        ulong res = (ulong)r;
        if (res + newLength > 1UL << PageMap.AddressBits) { LibC.Munmap(r, (nuint)newLength); return -Enomem; }
        UnregisterFiles(oldAddr, oldLength);
        if (res != oldAddr)
        {
            _map.Set(oldAddr, oldLength, PageFlags.None);
            CodeUnmapped?.Invoke(oldAddr, oldLength);
        }
        else if (newLength < oldLength)
        {
            _map.Set(oldAddr + newLength, oldLength - newLength, PageFlags.None);
            CodeUnmapped?.Invoke(oldAddr + newLength, oldLength - newLength);
        }
        NoteChunks(res, newLength);
        _map.Set(res, newLength, flagsOfRange & ~(PageFlags.Code | PageFlags.Bus));
        return (long)res;
    }
}
