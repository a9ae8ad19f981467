using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Ferry.Host;
using Ferry.MemoryModel;

namespace Ferry.Memory;

/// <summary>The guest address space: guest virtual addresses are host addresses (identity
/// mapping), and every access is checked against the <see cref="PageMap"/> first, so a bad guest
/// access becomes a <see cref="MemoryFault"/> instead of a host crash.</summary>
public sealed unsafe partial class GuestMemory : IDisposable
{
    private readonly PageMap _map;
    private readonly byte* _t;

    /// <summary>Called with a page number when a guest store hits a page that holds decoded code.</summary>
    public Action<ulong>? CodeWritten { get; set; }

    public GuestMemory()
    {
        _map = new PageMap();
        _t = _map.Table;
        SetMemoryModel(MemoryModelPolicy.Effective, MemoryModelPolicy.Requested == MemoryModelKind.Auto);
    }

    public PageMap Pages => _map;

    // Guest memory is shared with other guest threads. Ordered accesses (tso mode, see GuestMemory.Ordering.cs)
    // have volatile semantics: acquire loads and release stores, which on x86 hosts are a plain MOV and on
    // ARM64 LDAR/LDAPR and STLR; unaligned ones fall back to unaligned accesses with barriers. Plain accesses
    // (relaxed, hardware TSO, a single-threaded process under auto) are ordinary loads and stores: RyuJIT
    // neither hoists them out of a compiled loop nor merges them across it, because every back-edge of
    // compiled code reads the volatile Processor.Stop first (a volatile read ends the JIT's knowledge of
    // memory), and the interpreter reaches them through a call per instruction.
    private static bool Aligned(ulong a, int size) => X86Base.IsSupported || (a & (ulong)(size - 1)) == 0;

    private static byte Load8(ulong a) => Volatile.Read(ref *(byte*)a);
    private static ushort Load16(ulong a) => Aligned(a, 2) ? Volatile.Read(ref *(ushort*)a) : LoadUnaligned<ushort>(a);
    private static uint Load32(ulong a) => Aligned(a, 4) ? Volatile.Read(ref *(uint*)a) : LoadUnaligned<uint>(a);
    private static ulong Load64(ulong a) => Aligned(a, 8) ? Volatile.Read(ref *(ulong*)a) : LoadUnaligned<ulong>(a);
    private static void Store8(ulong a, byte v) => Volatile.Write(ref *(byte*)a, v);
    private static void Store16(ulong a, ushort v) { if (Aligned(a, 2)) Volatile.Write(ref *(ushort*)a, v); else StoreUnaligned(a, v); }
    private static void Store32(ulong a, uint v) { if (Aligned(a, 4)) Volatile.Write(ref *(uint*)a, v); else StoreUnaligned(a, v); }
    private static void Store64(ulong a, ulong v) { if (Aligned(a, 8)) Volatile.Write(ref *(ulong*)a, v); else StoreUnaligned(a, v); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T LoadUnaligned<T>(ulong a) where T : unmanaged
    {
        T v = Unsafe.ReadUnaligned<T>((void*)a);
        Volatile.ReadBarrier();
        return v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreUnaligned<T>(ulong a, T v) where T : unmanaged
    {
        Volatile.WriteBarrier();
        Unsafe.WriteUnaligned((void*)a, v);
    }

    // Plain accesses are Unsafe.Read/WriteUnaligned at each use, not a generic helper of Ferry's: an instantiation
    // of Ferry's generic method over byte, ulong or Vector128 has no ReadyToRun code, and every call left out of
    // line (in Tier-0 code, say) JIT-compiled one of them at start.

    // The common case of a check: one readable (writable) page, no file-end or code-page work to do.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool FastRead(ulong a, int size)
    {
        ulong page = a >> PageMap.PageShift;
        return page < PageMap.PageCount && (_t[page] & (byte)(PageFlags.Read | PageFlags.Bus)) == (byte)PageFlags.Read && (a & PageMap.PageMask) <= PageMap.PageSize - (ulong)size;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool FastWrite(ulong a, int size)
    {
        ulong page = a >> PageMap.PageShift;
        return page < PageMap.PageCount && (_t[page] & (byte)(PageFlags.Write | PageFlags.Code | PageFlags.Bus)) == (byte)PageFlags.Write && (a & PageMap.PageMask) <= PageMap.PageSize - (ulong)size;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckRead(ulong a, int size)
    {
        if (FastRead(a, size)) return;
        CheckSlow(a, size, PageFlags.Read, false);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckWrite(ulong a, int size)
    {
        if (FastWrite(a, size)) return;
        CheckSlow(a, size, PageFlags.Write, true);
    }

    private void CheckSlow(ulong a, int size, PageFlags need, bool write)
    {
        ulong last = a + (ulong)size - 1;
        if (last < a) throw new MemoryFault(a, false, write);
        for (ulong p = a >> PageMap.PageShift; p <= last >> PageMap.PageShift; p++)
        {
            ulong faultAddr = Math.Max(a, p << PageMap.PageShift);
            if (p >= PageMap.PageCount) throw new MemoryFault(faultAddr, false, write);
            byte f = _t[p];
            if ((f & (byte)need) == 0) throw new MemoryFault(faultAddr, (f & (byte)PageFlags.Mapped) != 0, write);
            if ((f & (byte)PageFlags.Bus) != 0) throw new MemoryFault(faultAddr, true, write, pastEndOfFile: true);
            if (write && (f & (byte)PageFlags.Code) != 0)
            {
                _t[p] = (byte)(f & ~(byte)PageFlags.Code);
                CodeWritten?.Invoke(p);
            }
        }
    }

    /// <summary>Checks that the guest may access [a, a+length) as <paramref name="need"/> says,
    /// for system calls that hand a guest buffer to the host kernel. Returns false instead of faulting.</summary>
    public bool CanAccess(ulong a, ulong length, PageFlags need)
    {
        if (!_map.All(a, length, need, PageFlags.Bus)) return false;
        if ((need & PageFlags.Write) != 0 && length != 0)
            for (ulong p = a >> PageMap.PageShift; p <= (a + length - 1) >> PageMap.PageShift; p++)
                if ((_t[p] & (byte)PageFlags.Code) != 0) { _t[p] &= unchecked((byte)~PageFlags.Code); CodeWritten?.Invoke(p); }
        return true;
    }

    public byte Read8(ulong a) { CheckRead(a, 1); return _ordered ? Load8(a) : Unsafe.ReadUnaligned<byte>((void*)a); }
    public ushort Read16(ulong a) { CheckRead(a, 2); return _ordered ? Load16(a) : Unsafe.ReadUnaligned<ushort>((void*)a); }
    public uint Read32(ulong a) { CheckRead(a, 4); return _ordered ? Load32(a) : Unsafe.ReadUnaligned<uint>((void*)a); }
    public ulong Read64(ulong a) { CheckRead(a, 8); return _ordered ? Load64(a) : Unsafe.ReadUnaligned<ulong>((void*)a); }
    public Vector128<byte> Read128(ulong a) { CheckRead(a, 16); return _ordered ? LoadUnaligned<Vector128<byte>>(a) : Unsafe.ReadUnaligned<Vector128<byte>>((void*)a); }
    public Vector256<byte> Read256(ulong a) { CheckRead(a, 32); return _ordered ? LoadUnaligned<Vector256<byte>>(a) : Unsafe.ReadUnaligned<Vector256<byte>>((void*)a); }

    public void Write8(ulong a, byte v) { CheckWrite(a, 1); if (_ordered) Store8(a, v); else Unsafe.WriteUnaligned((void*)a, v); }
    public void Write16(ulong a, ushort v) { CheckWrite(a, 2); if (_ordered) Store16(a, v); else Unsafe.WriteUnaligned((void*)a, v); }
    public void Write32(ulong a, uint v) { CheckWrite(a, 4); if (_ordered) Store32(a, v); else Unsafe.WriteUnaligned((void*)a, v); }
    public void Write64(ulong a, ulong v) { CheckWrite(a, 8); if (_ordered) Store64(a, v); else Unsafe.WriteUnaligned((void*)a, v); }
    public void Write128(ulong a, Vector128<byte> v) { CheckWrite(a, 16); if (_ordered) StoreUnaligned(a, v); else Unsafe.WriteUnaligned((void*)a, v); }
    public void Write256(ulong a, Vector256<byte> v) { CheckWrite(a, 32); if (_ordered) StoreUnaligned(a, v); else Unsafe.WriteUnaligned((void*)a, v); }

    // The fast paths of the checks above, for compiled code (src/Ferry/Jit): the same check and the same
    // ordered (volatile) access, but a refusal returns false, with nothing accessed, instead of throwing. The caller then
    // takes the full path (Read64...), which faults or handles the rare cases (a page-crossing access, a
    // store to a page that holds code). Compiled code needs no exception handler that way, which would keep
    // every guest register on the host stack.

    /// <summary>Reads a byte when the fast check allows it; false (nothing read) when the full <see cref="Read8"/> must run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead8(ulong a, out byte v) { if (FastRead(a, 1)) { v = Load8(a); return true; } v = 0; return false; }
    /// <summary>As <see cref="TryRead8"/>, 2 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead16(ulong a, out ushort v) { if (FastRead(a, 2)) { v = Load16(a); return true; } v = 0; return false; }
    /// <summary>As <see cref="TryRead8"/>, 4 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead32(ulong a, out uint v) { if (FastRead(a, 4)) { v = Load32(a); return true; } v = 0; return false; }
    /// <summary>As <see cref="TryRead8"/>, 8 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead64(ulong a, out ulong v) { if (FastRead(a, 8)) { v = Load64(a); return true; } v = 0; return false; }
    /// <summary>As <see cref="TryRead8"/>, 16 bytes, ordered as <see cref="Read128"/> is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead128(ulong a, out Vector128<byte> v)
    {
        if (FastRead(a, 16)) { v = _ordered ? LoadUnaligned<Vector128<byte>>(a) : Unsafe.ReadUnaligned<Vector128<byte>>((void*)a); return true; }
        v = default;
        return false;
    }
    /// <summary>As <see cref="TryRead8"/>, 32 bytes, ordered as <see cref="Read256"/> is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead256(ulong a, out Vector256<byte> v)
    {
        if (FastRead(a, 32)) { v = _ordered ? LoadUnaligned<Vector256<byte>>(a) : Unsafe.ReadUnaligned<Vector256<byte>>((void*)a); return true; }
        v = default;
        return false;
    }

    /// <summary>Writes a byte when the fast check allows it; false (nothing written) when the full <see cref="Write8"/> must run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWrite8(ulong a, byte v) { if (!FastWrite(a, 1)) return false; Store8(a, v); return true; }
    /// <summary>As <see cref="TryWrite8"/>, 2 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWrite16(ulong a, ushort v) { if (!FastWrite(a, 2)) return false; Store16(a, v); return true; }
    /// <summary>As <see cref="TryWrite8"/>, 4 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWrite32(ulong a, uint v) { if (!FastWrite(a, 4)) return false; Store32(a, v); return true; }
    /// <summary>As <see cref="TryWrite8"/>, 8 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWrite64(ulong a, ulong v) { if (!FastWrite(a, 8)) return false; Store64(a, v); return true; }

    // The same fast paths with plain accesses, for code compiled while the memory model lets guest accesses
    // go unordered (relaxed, hardware TSO, auto before a second thread or a shared mapping; tso for stack
    // accesses). MemoryAccessors picks between the two sets.

    /// <summary>As <see cref="TryRead8"/> with a plain (unordered) load.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadPlain8(ulong a, out byte v) { if (FastRead(a, 1)) { v = Unsafe.ReadUnaligned<byte>((void*)a); return true; } v = 0; return false; }
    /// <summary>As <see cref="TryRead16"/> with a plain (unordered) load.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadPlain16(ulong a, out ushort v) { if (FastRead(a, 2)) { v = Unsafe.ReadUnaligned<ushort>((void*)a); return true; } v = 0; return false; }
    /// <summary>As <see cref="TryRead32"/> with a plain (unordered) load.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadPlain32(ulong a, out uint v) { if (FastRead(a, 4)) { v = Unsafe.ReadUnaligned<uint>((void*)a); return true; } v = 0; return false; }
    /// <summary>As <see cref="TryRead64"/> with a plain (unordered) load.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadPlain64(ulong a, out ulong v) { if (FastRead(a, 8)) { v = Unsafe.ReadUnaligned<ulong>((void*)a); return true; } v = 0; return false; }
    /// <summary>As <see cref="TryWrite8"/> with a plain (unordered) store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWritePlain8(ulong a, byte v) { if (!FastWrite(a, 1)) return false; Unsafe.WriteUnaligned((void*)a, v); return true; }
    /// <summary>As <see cref="TryWrite16"/> with a plain (unordered) store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWritePlain16(ulong a, ushort v) { if (!FastWrite(a, 2)) return false; Unsafe.WriteUnaligned((void*)a, v); return true; }
    /// <summary>As <see cref="TryWrite32"/> with a plain (unordered) store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWritePlain32(ulong a, uint v) { if (!FastWrite(a, 4)) return false; Unsafe.WriteUnaligned((void*)a, v); return true; }
    /// <summary>As <see cref="TryWrite64"/> with a plain (unordered) store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWritePlain64(ulong a, ulong v) { if (!FastWrite(a, 8)) return false; Unsafe.WriteUnaligned((void*)a, v); return true; }

    /// <summary>Reads an operand of 1, 2, 4 or 8 bytes, zero-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Read(ulong a, int size) => size switch
    {
        1 => Read8(a), 2 => Read16(a), 4 => Read32(a), _ => Read64(a),
    };

    /// <summary>Writes the low <paramref name="size"/> bytes (1, 2, 4 or 8) of <paramref name="v"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(ulong a, int size, ulong v)
    {
        switch (size)
        {
            case 1: Write8(a, (byte)v); break;
            case 2: Write16(a, (ushort)v); break;
            case 4: Write32(a, (uint)v); break;
            default: Write64(a, v); break;
        }
    }

    /// <summary>Copies guest bytes out, checking every page.</summary>
    public void ReadBytes(ulong a, Span<byte> dest)
    {
        if (dest.Length == 0) return;
        CheckSlow(a, dest.Length, PageFlags.Read, false);
        new ReadOnlySpan<byte>((void*)a, dest.Length).CopyTo(dest);
    }

    /// <summary>Copies bytes into guest memory, checking every page.</summary>
    public void WriteBytes(ulong a, ReadOnlySpan<byte> src)
    {
        if (src.Length == 0) return;
        CheckSlow(a, src.Length, PageFlags.Write, true);
        src.CopyTo(new Span<byte>((void*)a, src.Length));
    }

    /// <summary>Reads a NUL-terminated guest string (at most <paramref name="max"/> bytes), or null when it runs into an inaccessible page or is too long.</summary>
    public byte[]? ReadCString(ulong a, int max = 4096)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < max; i++)
        {
            ulong p = a + (ulong)i;
            if (((PageFlags)_map[p >> PageMap.PageShift] & (PageFlags.Read | PageFlags.Bus)) != PageFlags.Read) return null;
            byte b = *(byte*)p;
            if (b == 0) return bytes.ToArray();
            bytes.Add(b);
        }
        return null;
    }

    /// <summary>Executable-page check for instruction fetch.</summary>
    public bool CanExecute(ulong a) => (_map[a >> PageMap.PageShift] & (PageFlags.Exec | PageFlags.Bus)) == PageFlags.Exec;

    /// <summary>Marks the page of <paramref name="a"/> as holding decoded code.</summary>
    public void MarkCode(ulong a)
    {
        ulong p = a >> PageMap.PageShift;
        if (p < PageMap.PageCount) _t[p] |= (byte)PageFlags.Code;
    }

    /// <summary>Reads a fetched byte without a permission check (the caller checked Exec).</summary>
    public byte FetchByte(ulong a) => *(byte*)a;

    public void Dispose()
    {
        if (_map.Table == null) return;
        UnmapAll();
        _map.Dispose();
    }
}
