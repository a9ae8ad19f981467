using System.Runtime.InteropServices;
using Ferry.Linux.Syscalls;
using Xunit;

namespace Ferry.Tests.Linux;

/// <summary>The conversions of structures whose host layout may differ from x86-64's. On this x86-64 host the
/// kernel's own x86-64 structures are the oracle; the ARM64 layout of epoll_event, which cannot be run here, is
/// checked against its C definition (no packing: the 64-bit data at offset 8).</summary>
public sealed unsafe class StructLayoutTests
{
    [DllImport("libc", SetLastError = true)] private static extern long syscall(long n, long a, long b, long c, long d, long e);
    [DllImport("libc", SetLastError = true)] private static extern int epoll_create1(int flags);
    [DllImport("libc", SetLastError = true)] private static extern int epoll_ctl(int ep, int op, int fd, byte* ev);
    [DllImport("libc", SetLastError = true)] private static extern int epoll_wait(int ep, byte* evs, int max, int timeout);
    [DllImport("libc", SetLastError = true)] private static extern int eventfd(uint init, int flags);
    [DllImport("libc", SetLastError = true)] private static extern int close(int fd);

    private const long NewFstatat = 262, Statx = 332;
    private const int AtFdCwd = -100, AtSymlinkNofollow = 0x100, StatxBasicStats = 0x7ff;

    public static TheoryData<string, bool> Paths => new()
    {
        { "/etc/passwd", false }, { "/usr/bin", false }, { "/dev/null", false }, { "/proc/self/exe", true }, { "/tmp", false },
    };

    [Theory, MemberData(nameof(Paths))]
    public void StatFromStatxMatchesTheKernelsStat(string path, bool noFollow)
    {
        var expected = new byte[StatLayout.StatSize];
        var x = new byte[StatLayout.StatxSize];
        var actual = new byte[StatLayout.StatSize];
        int flags = noFollow ? AtSymlinkNofollow : 0;
        var name = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = name, st = expected, sx = x)
        {
            Assert.Equal(0, syscall(NewFstatat, AtFdCwd, (long)p, (long)st, flags, 0));
            Assert.Equal(0, syscall(Statx, AtFdCwd, (long)p, flags, StatxBasicStats, (long)sx));
        }
        StatLayout.FromStatx(x, actual);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));
    }

    [Fact]
    public void EpollEventOfThisHostIsWhatTheKernelWrites()
    {
        int ep = epoll_create1(0), efd = eventfd(1, 0);
        Assert.True(ep >= 0 && efd >= 0);
        try
        {
            const ulong data = 0x1122_3344_5566_7788;
            byte* ev = stackalloc byte[16];
            EpollEventLayout.Host.ToHost(1 /* EPOLLIN */, data, new Span<byte>(ev, 16));
            Assert.Equal(0, epoll_ctl(ep, 1 /* EPOLL_CTL_ADD */, efd, ev));
            byte* got = stackalloc byte[64];
            new Span<byte>(got, 64).Fill(0xAA);
            Assert.Equal(1, epoll_wait(ep, got, 1, 1000));
            Assert.Equal((1u, data), EpollEventLayout.Host.FromHost(new ReadOnlySpan<byte>(got, EpollEventLayout.Host.Size)));
            // The kernel writes exactly one structure's worth: what follows is untouched.
            Assert.Equal(0xAA, got[EpollEventLayout.Host.Size]);
        }
        finally { close(efd); close(ep); }
    }

    [Fact]
    public void EpollEventLayoutsPlaceTheDataWhereTheirCDefinitionsDo()
    {
        var packed = new byte[12];
        EpollEventLayout.X64.ToHost(0x8000_0011, 0x0102_0304_0506_0708, packed);
        Assert.Equal("110000800807060504030201", Convert.ToHexString(packed));
        var aligned = new byte[16];
        aligned.AsSpan().Fill(0xFF);
        EpollEventLayout.Aligned.ToHost(0x8000_0011, 0x0102_0304_0506_0708, aligned);
        Assert.Equal("11000080000000000807060504030201", Convert.ToHexString(aligned));
        Assert.Equal((0x8000_0011u, 0x0102_0304_0506_0708UL), EpollEventLayout.Aligned.FromHost(aligned));
        Assert.Equal(EpollEventLayout.GuestSize, EpollEventLayout.X64.Size);
    }
}
