using System.Runtime.CompilerServices;
using Ferry.Host;

namespace Ferry.Memory;

// Locked read-modify-write accesses (LOCK prefix, XCHG with memory, CMPXCHG*): atomic and full barriers, as on
// x86. Every locked access of the same bytes must agree on how it is made atomic, or a split one would not
// exclude an aligned one:
// - naturally aligned: the host's atomic instructions (Interlocked);
// - misaligned on an x86-64 host: LOCK CMPXCHG on the misaligned address (AtomicStubs), which the hardware makes
//   atomic against everything, page-crossing included;
// - misaligned elsewhere, inside one aligned 8-byte word: a compare-exchange of that whole word, atomic against
//   the aligned accesses too;
// - misaligned across an 8-byte boundary elsewhere, inside one aligned 16-byte block: a 16-byte compare-exchange
//   of the block (AtomicStubs.Cas128: CASPAL or LDAXP/STLXP on ARM64), atomic against the aligned accesses too;
// - across a 16-byte boundary elsewhere (or with no 16-byte compare-exchange): what x86 does for a split lock, a
//   bus lock (IBusLock: every other guest thread of the process stopped at a safe point, so none is inside an
//   instruction), then a plain read-modify-write. That excludes aligned atomics and plain accesses of the same
//   bytes too. It costs a round trip to every other thread, but such accesses are rare (x86 makes them very
//   slow too, and Linux can kill a process for them). Without a bus lock (GuestMemory used without the Linux
//   personality, or a thread that is ending) they take a process-wide lock, which excludes only each other.
// CMPXCHG16B uses the host's 16-byte compare-exchange and, where there is none, the bus lock.
// Threads of other processes that share the memory are not stopped: there such an access is atomic only against
// the other process's accesses of the same kind that go through its host's atomic instructions.
public sealed unsafe partial class GuestMemory
{
    private static readonly Lock SplitLock = new();

    /// <summary>False makes misaligned locked accesses and CMPXCHG16B take the paths of hosts without native
    /// stubs, so tests on an x86-64 host cover them too. <c>FERRY_LOCKED_PATHS=portable</c> starts it false.</summary>
    internal static bool UseNativeStubs { get; set; } = LockedPaths != "portable";

    /// <summary>False leaves out x86-64's misaligned LOCK CMPXCHG stubs only, so that tests on an x86-64 host take
    /// the paths ARM64 hosts take (the 16-byte block through LOCK CMPXCHG16B here, the bus lock across 16-byte
    /// boundaries). <c>FERRY_LOCKED_PATHS=arm64</c> starts it false.</summary>
    internal static bool UseUnalignedStubs { get; set; } = LockedPaths != "arm64";

    // A test switch, read from the environment so that guest programs run by the ferry command can be raced on
    // the paths another host takes: native (the default), arm64 or portable.
    private static string? LockedPaths => Environment.GetEnvironmentVariable("FERRY_LOCKED_PATHS");

    /// <summary>Stops the other guest threads for the accesses no host atomic covers; set by the Linux personality.</summary>
    internal IBusLock? BusLock { get; set; }

    /// <summary>Atomically replaces the <paramref name="size"/>-byte value at <paramref name="a"/> with
    /// <paramref name="value"/> if it equals <paramref name="expected"/>; returns the value found.</summary>
    public ulong CompareExchange(ulong a, int size, ulong expected, ulong value)
    {
        CheckRead(a, size);
        CheckWrite(a, size);
        if ((a & (ulong)(size - 1)) == 0)
        {
            return size switch
            {
                1 => Interlocked.CompareExchange(ref *(byte*)a, (byte)value, (byte)expected),
                2 => Interlocked.CompareExchange(ref *(ushort*)a, (ushort)value, (ushort)expected),
                4 => Interlocked.CompareExchange(ref *(uint*)a, (uint)value, (uint)expected),
                _ => Interlocked.CompareExchange(ref *(ulong*)a, value, expected),
            };
        }
        if (UseNativeStubs && UseUnalignedStubs && AtomicStubs.HasUnaligned)
        {
            return size switch
            {
                2 => (ushort)AtomicStubs.Cas16(a, (ushort)expected, (ushort)value),
                4 => (uint)AtomicStubs.Cas32(a, (uint)expected, (uint)value),
                _ => AtomicStubs.Cas64(a, expected, value),
            };
        }
        ulong word = a & ~7UL;
        if ((a & 7) + (ulong)size <= 8) return CompareExchangeInWord(word, (int)(a - word) * 8, size, expected, value);
        if (UseNativeStubs && AtomicStubs.Cas128 != null && (a & 15) + (ulong)size <= 16)
            return CompareExchangeInBlock(a & ~15UL, (int)(a & 15) * 8, size, expected, value);
        if (BusLock is { } bus && bus.Enter())
        {
            try { return CompareExchangeStopped(a, size, expected, value); }
            finally { bus.Exit(); }
        }
        lock (SplitLock) return CompareExchangeStopped(a, size, expected, value);
    }

    private static ulong CompareExchangeStopped(ulong a, int size, ulong expected, ulong value)
    {
        // The locked access is a full barrier on both sides, as LOCK is.
        Interlocked.MemoryBarrier();
        ulong old = LoadPlainSized(a, size);
        if (old == expected) StorePlainSized(a, size, value);
        Interlocked.MemoryBarrier();
        return old;
    }

    private static ulong CompareExchangeInWord(ulong word, int shift, int size, ulong expected, ulong value)
    {
        ulong mask = (size == 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1) << shift;
        ref ulong w = ref *(ulong*)word;
        ulong cur = Volatile.Read(ref w);
        while (true)
        {
            ulong old = (cur & mask) >> shift;
            if (old != expected) return old;
            ulong next = (cur & ~mask) | ((value << shift) & mask);
            ulong seen = Interlocked.CompareExchange(ref w, next, cur);
            if (seen == cur) return old;
            cur = seen;
        }
    }

    private static ulong CompareExchangeInBlock(ulong block, int shift, int size, ulong expected, ulong value)
    {
        UInt128 mask = (UInt128)(size == 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1) << shift;
        ulong* found = stackalloc ulong[2];
        found[0] = Volatile.Read(ref *(ulong*)block);
        found[1] = Volatile.Read(ref *(ulong*)(block + 8));
        while (true)
        {
            var cur = ((UInt128)found[1] << 64) | found[0];
            ulong old = (ulong)((cur & mask) >> shift);
            // The two reads above may be torn: only a compare-exchange that succeeds proves what the block held,
            // so a mismatch is confirmed by storing the block back unchanged (a locked access writes anyway).
            var next = old == expected ? (cur & ~mask) | (((UInt128)value << shift) & mask) : cur;
            if (AtomicStubs.Cas128(block, found, (ulong)next, (ulong)(next >> 64)) != 0) return old;
        }
    }

    private static ulong LoadPlainSized(ulong a, int size) => size switch
    {
        1 => *(byte*)a, 2 => Unsafe.ReadUnaligned<ushort>((void*)a), 4 => Unsafe.ReadUnaligned<uint>((void*)a), _ => Unsafe.ReadUnaligned<ulong>((void*)a),
    };

    private static void StorePlainSized(ulong a, int size, ulong v)
    {
        switch (size)
        {
            case 1: *(byte*)a = (byte)v; break;
            case 2: Unsafe.WriteUnaligned((void*)a, (ushort)v); break;
            case 4: Unsafe.WriteUnaligned((void*)a, (uint)v); break;
            default: Unsafe.WriteUnaligned((void*)a, v); break;
        }
    }

    /// <summary>Atomically stores <paramref name="value"/> and returns the previous value.</summary>
    public ulong Exchange(ulong a, int size, ulong value)
    {
        CheckRead(a, size);
        CheckWrite(a, size);
        if ((a & (ulong)(size - 1)) == 0)
        {
            return size switch
            {
                1 => Interlocked.Exchange(ref *(byte*)a, (byte)value),
                2 => Interlocked.Exchange(ref *(ushort*)a, (ushort)value),
                4 => Interlocked.Exchange(ref *(uint*)a, (uint)value),
                _ => Interlocked.Exchange(ref *(ulong*)a, value),
            };
        }
        // Misaligned: a compare-exchange loop, made atomic the same way as every other misaligned locked access.
        ulong old = LoadPlainSized(a, size);
        while (true)
        {
            ulong seen = CompareExchange(a, size, old, value);
            if (seen == old) return old;
            old = seen;
        }
    }

    /// <summary>16-byte compare-exchange for CMPXCHG16B (the address is 16-byte aligned): on success true; on
    /// failure false with <paramref name="expected"/> the value found.</summary>
    public bool CompareExchange128(ulong a, ref UInt128 expected, UInt128 value)
    {
        CheckRead(a, 16);
        CheckWrite(a, 16);
        if (UseNativeStubs && AtomicStubs.Cas128 != null)
        {
            ulong* e = stackalloc ulong[2];
            e[0] = (ulong)expected;
            e[1] = (ulong)(expected >> 64);
            bool ok = AtomicStubs.Cas128(a, e, (ulong)value, (ulong)(value >> 64)) != 0;
            expected = ((UInt128)e[1] << 64) | e[0];
            return ok;
        }
        if (BusLock is { } bus && bus.Enter())
        {
            try { return CompareExchange128Stopped(a, ref expected, value); }
            finally { bus.Exit(); }
        }
        lock (SplitLock) return CompareExchange128Stopped(a, ref expected, value);
    }

    private static bool CompareExchange128Stopped(ulong a, ref UInt128 expected, UInt128 value)
    {
        Interlocked.MemoryBarrier();
        var cur = *(UInt128*)a;
        bool ok = cur == expected;
        if (ok) *(UInt128*)a = value;
        else expected = cur;
        Interlocked.MemoryBarrier();
        return ok;
    }
}
