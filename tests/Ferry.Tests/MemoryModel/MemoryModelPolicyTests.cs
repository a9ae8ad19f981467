using Ferry.Host;
using Ferry.MemoryModel;
using Xunit;

namespace Ferry.Tests.MemoryModel;

public sealed class MemoryModelPolicyTests
{
    [Theory]
    [InlineData("auto", MemoryModelKind.Auto)]
    [InlineData("HARDWARE", MemoryModelKind.Hardware)]
    [InlineData("tso", MemoryModelKind.Tso)]
    [InlineData("relaxed", MemoryModelKind.Relaxed)]
    public void ParsesModeNames(string name, MemoryModelKind kind) => Assert.Equal(kind, MemoryModelPolicy.Parse(name));

    [Fact]
    public void RejectsUnknownNames() => Assert.Null(MemoryModelPolicy.Parse("strong"));

    [Theory]
    [InlineData(MemoryModelKind.Auto, true, MemoryModelKind.Hardware)]
    [InlineData(MemoryModelKind.Auto, false, MemoryModelKind.Tso)]
    [InlineData(MemoryModelKind.Tso, true, MemoryModelKind.Tso)]
    [InlineData(MemoryModelKind.Relaxed, false, MemoryModelKind.Relaxed)]
    [InlineData(MemoryModelKind.Hardware, true, MemoryModelKind.Hardware)]
    public void ResolvesWhatTheHostOffers(MemoryModelKind requested, bool hostTso, MemoryModelKind expected)
    {
        Assert.Equal(expected, MemoryModelPolicy.Resolve(requested, hostTso, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void HardwareWithoutKernelSupportIsAnError()
    {
        MemoryModelPolicy.Resolve(MemoryModelKind.Hardware, false, out var error);
        Assert.Contains("does not offer hardware TSO", error);
    }

    [Fact]
    public void HostReportMatchesThisMachine()
    {
        var report = HostInfo.Report(MemoryModelKind.Auto);
        Assert.Contains($"architecture: {HostInfo.Architecture}\n", report);
        Assert.Contains($"page size: {Environment.SystemPageSize}\n", report);
        int bits = HostInfo.AddressBits();
        Assert.InRange(bits, 39, 57);
        if (HostInfo.Architecture == "x86_64")
        {
            Assert.Contains("hardware TSO: yes (x86-64 is TSO by architecture)", report);
            Assert.Contains("memory model: auto -> hardware", report);
            Assert.Equal(47, bits);
        }
    }
}
