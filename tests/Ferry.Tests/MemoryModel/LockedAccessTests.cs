using Ferry.Host;
using Ferry.Memory;
using Xunit;

namespace Ferry.Tests.MemoryModel;

/// <summary>Locked accesses at every alignment stay atomic when host threads race on them, through the native
/// stubs (x86-64 hosts) and through the paths other hosts take (forced here with UseNativeStubs off).</summary>
[Collection(nameof(LockedAccessTests))]
public sealed unsafe class LockedAccessTests
{
    private const int Threads = 4, Rounds = 20000;

    private static void Race(Action<int> body)
    {
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() => { start.SignalAndWait(); body(t); })).ToArray();
        foreach (var th in threads) th.Start();
        foreach (var th in threads) th.Join();
    }

    private static void Increment(GuestMemory m, ulong a, int size)
    {
        ulong old = m.Read(a, size);
        while (true)
        {
            ulong seen = m.CompareExchange(a, size, old, (old + 1) & (size == 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1));
            if (seen == old) return;
            old = seen;
        }
    }

    [Theory]
    [InlineData(true, 4, 64)]   // aligned
    [InlineData(true, 4, 65)]   // inside one 8-byte word
    [InlineData(true, 8, 68)]   // across an 8-byte word
    [InlineData(true, 4, 4094)] // across a page
    [InlineData(false, 2, 65)]
    [InlineData(false, 4, 66)]
    [InlineData(false, 8, 68)]
    [InlineData(false, 4, 4094)]
    public void CompareExchangeLosesNoUpdate(bool native, int size, int offset)
    {
        if (native && !AtomicStubs.HasUnaligned) return;
        bool was = GuestMemory.UseNativeStubs;
        GuestMemory.UseNativeStubs = native;
        try
        {
            using var m = new GuestMemory();
            long b = m.Map(0, 8192, 3, GuestMemory.MapPrivate | GuestMemory.MapAnonymous, -1, 0);
            ulong a = (ulong)b + (ulong)offset;
            // Neighbours of the operand, changed concurrently by aligned atomics, must survive too.
            ulong left = ((ulong)b + (ulong)offset - 8) & ~7UL, right = ((ulong)b + (ulong)offset + (ulong)size + 8) & ~7UL;
            Race(t =>
            {
                for (int i = 0; i < Rounds; i++)
                {
                    Increment(m, a, size);
                    if (t == 0) Increment(m, left, 8);
                    if (t == 1) Increment(m, right, 8);
                }
            });
            Assert.Equal((ulong)(Threads * Rounds) & (size == 2 ? 0xFFFFUL : ulong.MaxValue), m.Read(a, size));
            Assert.Equal((ulong)Rounds, m.Read64(left));
            Assert.Equal((ulong)Rounds, m.Read64(right));
        }
        finally { GuestMemory.UseNativeStubs = was; }
    }

    // A misaligned locked access and an aligned one that share bytes: the old implementation made the
    // misaligned one atomic with a lock the aligned one never took, and lost the aligned one's updates.
    // "block" is the ARM64 host's path for an operand across an 8-byte word: a 16-byte compare-exchange of the
    // aligned block (here through LOCK CMPXCHG16B); before it, that operand took the lock and lost updates.
    [Theory]
    [InlineData("unaligned", 6, 2)]  // inside one 8-byte word
    [InlineData("unaligned", 6, 4)]  // across an 8-byte word
    [InlineData("block", 6, 4)]
    [InlineData("block", 4, 8)]
    [InlineData("none", 6, 2)]
    public void MisalignedAndAlignedLockedAccessesToTheSameBytesExcludeEachOther(string stubs, int offset, int size)
    {
        bool native = stubs != "none";
        if (stubs == "unaligned" && !AtomicStubs.HasUnaligned) return;
        if (stubs == "block") Assert.True(AtomicStubs.Cas128 != null, "every x86-64-v2 host and every ARM64 host has a 16-byte compare-exchange");
        bool was = GuestMemory.UseNativeStubs, wasUnaligned = GuestMemory.UseUnalignedStubs;
        GuestMemory.UseNativeStubs = native;
        GuestMemory.UseUnalignedStubs = stubs == "unaligned";
        try
        {
            using var m = new GuestMemory();
            ulong b = (ulong)m.Map(0, 4096, 3, GuestMemory.MapPrivate | GuestMemory.MapAnonymous, -1, 0) + 64;
            ulong a = b + (ulong)offset;
            ulong misalignedBit = 1UL << (size * 8 - 1); // in the operand's last byte
            ulong alignedBit = 1UL << (offset * 8);       // in the operand's first byte, which the aligned word holds too
            // The threads toggle their bits until they have really interleaved (a compare-exchange failed because
            // of the other thread) many times. Only its owner changes a bit, so each read must show the owner's bit
            // as the owner last left it: a lost update shows at the owner's next read.
            long contended = 0, lost = 0;
            var mine = new ulong[2];
            Race(t =>
            {
                if (t > 1) return;
                ulong at = t == 0 ? a : b, bit = t == 0 ? misalignedBit : alignedBit;
                int sz = t == 0 ? size : 8;
                for (long i = 0; i < 20_000_000 && Volatile.Read(ref contended) < 5000; i++)
                {
                    ulong old = m.Read(at, sz);
                    while (true)
                    {
                        if ((old & bit) != mine[t]) Interlocked.Increment(ref lost);
                        ulong seen = m.CompareExchange(at, sz, old, (old & ~bit) | (mine[t] ^ bit));
                        if (seen == old) break;
                        Interlocked.Increment(ref contended);
                        old = seen;
                    }
                    mine[t] ^= bit;
                }
            });
            Assert.Equal(0, lost);
            UInt128 both = ((UInt128)m.Read64(b + 8) << 64) | m.Read64(b);
            UInt128 expected = ((UInt128)mine[1] << 0) | ((UInt128)mine[0] << (offset * 8));
            Assert.Equal(expected, both);
        }
        finally { GuestMemory.UseNativeStubs = was; GuestMemory.UseUnalignedStubs = wasUnaligned; }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CompareExchange128LosesNoUpdate(bool native)
    {
        if (native && AtomicStubs.Cas128 == null) return;
        bool was = GuestMemory.UseNativeStubs;
        GuestMemory.UseNativeStubs = native;
        try
        {
            using var m = new GuestMemory();
            ulong a = (ulong)m.Map(0, 4096, 3, GuestMemory.MapPrivate | GuestMemory.MapAnonymous, -1, 0) + 32;
            Race(_ =>
            {
                for (int i = 0; i < Rounds; i++)
                {
                    UInt128 expected = *(UInt128*)a;
                    while (!m.CompareExchange128(a, ref expected, expected + ((UInt128)3 << 64) + 1)) { }
                }
            });
            Assert.Equal(((UInt128)(3 * Threads * Rounds) << 64) + Threads * Rounds, *(UInt128*)a);
            UInt128 wrong = 5;
            Assert.False(m.CompareExchange128(a, ref wrong, 0));
            Assert.Equal(*(UInt128*)a, wrong);
        }
        finally { GuestMemory.UseNativeStubs = was; }
    }

    [Fact]
    public void MisalignedExchangeReturnsWhatItReplaced()
    {
        using var m = new GuestMemory();
        ulong a = (ulong)m.Map(0, 8192, 3, GuestMemory.MapPrivate | GuestMemory.MapAnonymous, -1, 0) + 4093;
        m.Write64(a, 0x1122334455667788);
        Assert.Equal(0x1122334455667788UL, m.Exchange(a, 8, 0x99));
        Assert.Equal(0x99UL, m.Read64(a));
        Assert.Equal(0x99UL, m.CompareExchange(a, 8, 1, 2));
        Assert.Equal(0x99UL, m.Read64(a));
    }

    [Fact]
    public void LockedAccessToAReadOnlyPageFaults()
    {
        using var m = new GuestMemory();
        ulong a = (ulong)m.Map(0, 4096, 1, GuestMemory.MapPrivate | GuestMemory.MapAnonymous, -1, 0);
        Assert.Throws<MemoryFault>(() => m.CompareExchange(a + 3, 4, 0, 1));
        UInt128 e = 0;
        Assert.Throws<MemoryFault>(() => m.CompareExchange128(a, ref e, 1));
    }
}
