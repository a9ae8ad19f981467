using System.Runtime.InteropServices;
using Ferry.Memory;
using Xunit;

namespace Ferry.Tests.Memory;

/// <summary>The checked page map: what faults, what maps, and that guest requests never touch host memory.</summary>
public sealed unsafe class GuestMemoryTests : IDisposable
{
    private readonly GuestMemory _m = new();
    private const int Rw = GuestMemory.ProtRead | GuestMemory.ProtWrite;
    private const int PrivAnon = GuestMemory.MapPrivate | GuestMemory.MapAnonymous;

    public void Dispose() => _m.Dispose();

    private ulong Map(ulong len, int prot = Rw)
    {
        long a = _m.Map(0, len, prot, PrivAnon, -1, 0);
        Assert.True(a > 0, $"map failed: {a}");
        return (ulong)a;
    }

    [Fact]
    public void FreshMappingReadsZeroAndHoldsWrites()
    {
        ulong a = Map(8192);
        Assert.Equal(0UL, _m.Read64(a + 8));
        _m.Write64(a + 4092, 0x1122334455667788); // crosses the page boundary
        Assert.Equal(0x1122334455667788UL, _m.Read64(a + 4092));
        Assert.Equal(0x88, _m.Read8(a + 4092));
    }

    [Fact]
    public void UnmappedAccessFaultsWithAddress()
    {
        ulong a = Map(4096);
        Assert.Equal(0, _m.Unmap(a, 4096));
        var f = Assert.Throws<MemoryFault>(() => _m.Read32(a + 12));
        Assert.Equal(a + 12, f.Address);
        Assert.False(f.Protection);
        Assert.Throws<MemoryFault>(() => _m.Read64(0));
    }

    [Fact]
    public void AccessCrossingIntoUnmappedPageFaultsAtThatPage()
    {
        ulong a = Map(8192);
        _m.Unmap(a + 4096, 4096);
        var f = Assert.Throws<MemoryFault>(() => _m.Read64(a + 4093));
        Assert.Equal(a + 4096, f.Address);
        var w = Assert.Throws<MemoryFault>(() => _m.Write32(a + 4094, 1));
        Assert.True(w.IsWrite);
    }

    [Fact]
    public void ReadOnlyPageRefusesWritesAsProtectionFault()
    {
        ulong a = Map(4096, GuestMemory.ProtRead);
        Assert.Equal(0U, _m.Read32(a));
        var f = Assert.Throws<MemoryFault>(() => _m.Write8(a + 1, 1));
        Assert.True(f.Protection);
        Assert.True(f.IsWrite);
    }

    [Fact]
    public void MprotectChangesGuestViewAndNoneFaultsReads()
    {
        ulong a = Map(4096);
        _m.Write32(a, 7);
        Assert.Equal(0, _m.Protect(a, 4096, 0));
        Assert.True(Assert.Throws<MemoryFault>(() => _m.Read32(a)).Protection);
        Assert.Equal(0, _m.Protect(a, 4096, GuestMemory.ProtRead));
        Assert.Equal(7U, _m.Read32(a));
    }

    [Fact]
    public void MprotectOfUnownedRangeIsEnomem()
    {
        ulong a = Map(4096);
        _m.Unmap(a, 4096);
        Assert.Equal(-12, _m.Protect(a, 4096, Rw));
    }

    [Fact]
    public void FixedMappingNeverReplacesHostMemory()
    {
        // Memory the runtime owns (a native allocation) must survive a guest MAP_FIXED over it.
        void* host = NativeMemory.AlignedAlloc(3 * 4096, 4096);
        try
        {
            new Span<byte>(host, 3 * 4096).Fill(0xAB);
            long r = _m.Map((ulong)host, 4096, Rw, PrivAnon | GuestMemory.MapFixed, -1, 0);
            Assert.True(r < 0);
            Assert.Equal(0xAB, ((byte*)host)[100]);
            Assert.Throws<MemoryFault>(() => _m.Read8((ulong)host));
            long nr = _m.Map((ulong)host, 4096, Rw, PrivAnon | GuestMemory.MapFixedNoReplace, -1, 0);
            Assert.Equal(-17, nr); // EEXIST
        }
        finally { NativeMemory.AlignedFree(host); }
    }

    [Fact]
    public void FixedMappingReplacesGuestMemory()
    {
        ulong a = Map(3 * 4096);
        _m.Write8(a + 4096, 9);
        Assert.Equal((long)(a + 4096), _m.Map(a + 4096, 4096, Rw, PrivAnon | GuestMemory.MapFixed, -1, 0));
        Assert.Equal(0, _m.Read8(a + 4096));
        Assert.Equal(-17, _m.Map(a, 4096, Rw, PrivAnon | GuestMemory.MapFixedNoReplace, -1, 0));
    }

    [Fact]
    public void UnmapOfHostMemoryLeavesItAlone()
    {
        void* host = NativeMemory.AlignedAlloc(4096, 4096);
        try
        {
            ((byte*)host)[0] = 42;
            Assert.Equal(0, _m.Unmap((ulong)host, 4096));
            Assert.Equal(42, ((byte*)host)[0]);
        }
        finally { NativeMemory.AlignedFree(host); }
    }

    [Fact]
    public void RemapGrowsAndKeepsContents()
    {
        ulong a = Map(4096);
        _m.Write64(a + 8, 0xDEAD);
        long r = _m.Remap(a, 4096, 64 * 4096, 1 /* MAYMOVE */, 0);
        Assert.True(r > 0);
        Assert.Equal(0xDEADUL, _m.Read64((ulong)r + 8));
        _m.Write8((ulong)r + 63 * 4096, 1);
        if ((ulong)r != a) Assert.Throws<MemoryFault>(() => _m.Read8(a));
    }

    [Fact]
    public void CanAccessChecksEveryPage()
    {
        ulong a = Map(3 * 4096);
        _m.Protect(a + 4096, 4096, GuestMemory.ProtRead);
        Assert.True(_m.CanAccess(a, 3 * 4096, PageFlags.Read));
        Assert.False(_m.CanAccess(a, 3 * 4096, PageFlags.Write));
        Assert.True(_m.CanAccess(a + 8192, 4096, PageFlags.Write));
        Assert.False(_m.CanAccess(ulong.MaxValue - 10, 20, PageFlags.Read));
    }

    [Fact]
    public void StoreToCodePageReportsIt()
    {
        ulong a = Map(4096);
        var hit = new List<ulong>();
        _m.CodeWritten = hit.Add;
        _m.MarkCode(a);
        _m.Write8(a + 5, 1);
        Assert.Equal(new[] { a >> 12 }, hit);
        _m.Write8(a + 6, 1); // the mark is cleared after the first store
        Assert.Single(hit);
    }

    [Fact]
    public void ReadCStringStopsAtUnmappedPage()
    {
        ulong a = Map(8192);
        _m.Unmap(a + 4096, 4096);
        new Span<byte>((void*)(a + 4090), 6).Fill((byte)'x');
        Assert.Null(_m.ReadCString(a + 4090));
        _m.Write8(a + 4095, 0);
        Assert.Equal("xxxxx"u8.ToArray(), _m.ReadCString(a + 4090));
    }

    [Fact]
    public void FilePagesPastEndOfFileFaultAsBusUntilTheFileGrows()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[100]);
            using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            int fd = (int)fs.SafeFileHandle.DangerousGetHandle();
            long a = _m.Map(0, 3 * 4096, GuestMemory.ProtRead, GuestMemory.MapShared, fd, 0);
            Assert.True(a > 0);
            Assert.Equal(0, _m.Read8((ulong)a + 4095)); // the rest of the last file page reads as zeros
            var f = Assert.Throws<MemoryFault>(() => _m.Read8((ulong)a + 4096));
            Assert.True(f.PastEndOfFile);
            Assert.False(_m.CanAccess((ulong)a, 8192, PageFlags.Read));
            fs.SetLength(3 * 4096);
            _m.FileSizeChanged(fd);
            Assert.Equal(0, _m.Read8((ulong)a + 2 * 4096 + 5));
            Assert.Equal(0, _m.Unmap((ulong)a, 3 * 4096));
        }
        finally { File.Delete(path); }
    }
}
