using Ferry.Linux.Proc;
using Xunit;

namespace Ferry.Tests.Linux;

/// <summary>How /proc/self/stat takes the host's line: whatever the host gives, the guest sees the kernel's
/// fields, so the ones Ferry fills in (brk, argument and environment addresses) are always there.</summary>
public sealed class StatFilesTests
{
    // What qemu-aarch64 7.2 makes up for /proc/self/stat (44 fields, state "0"), and a kernel's line.
    private const string Qemu = "27635 (Ferry.Cli) 0 27627 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 2548889 0 0 0 0 0 365080610576 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
    private const string Kernel = "27647 (a b) c) S 27627 27627 25805 0 -1 4194304 76 0 0 0 0 0 0 0 20 0 1 0 2548896 2535424 249 18446744073709551615 94558221094912 94558221095481 140736979421184 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 94558221106640 94558221107248 94558385123328 140736979425775 140736979425782 140736979425782 140736979427313 0\n";

    [Fact]
    public void AShortHostLineIsPaddedToTheKernelsFiftyTwoFields()
    {
        var (pid, f) = StatFiles.HostFields(Qemu, reader: true);
        Assert.Equal("27635", pid);
        Assert.Equal(52 - 2, f.Length);
        Assert.Equal("R", f[0]);
        Assert.Equal("27627", f[1]);
        Assert.Equal("2548889", f[22 - 3]);
        Assert.All(f[(44 - 2)..], v => Assert.Equal("0", v));
    }

    [Fact]
    public void AKernelLineKeepsItsFieldsAndOnlyTheReaderIsRunning()
    {
        var (pid, f) = StatFiles.HostFields(Kernel, reader: false);
        Assert.Equal("27647", pid);
        Assert.Equal(52 - 2, f.Length);
        Assert.Equal("S", f[0]);
        Assert.Equal("140736979427313", f[51 - 3]);
        Assert.Equal("R", StatFiles.HostFields(Kernel, reader: true).Fields[0]);
    }
}
