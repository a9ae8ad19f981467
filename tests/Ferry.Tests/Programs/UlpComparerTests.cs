using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Programs;

/// <summary>The one-ulp comparison used for x87 transcendental output must still catch real differences.</summary>
public sealed class UlpComparerTests
{
    [Theory]
    [InlineData("0xb.17217f7d1cf79acp-4", "0xb.17217f7d1cf79acp-4", 0)]
    [InlineData("0xb.17217f7d1cf79acp-4", "0xb.17217f7d1cf79abp-4", 1)]
    [InlineData("0xb.17217f7d1cf79acp-4", "0xb.17217f7d1cf79aap-4", 2)]
    [InlineData("0xf.fffffffffffffffp-4", "0x8p-3", 1)]
    [InlineData("0x8p-3", "0x8.000000000000001p-3", 1)]
    [InlineData("-0x8p+0", "0x8p+0", 18446744073709551616.0)]
    [InlineData("0x0.000000000000001p-16385", "0x0.000000000000002p-16385", 1)]
    public void MeasuresUlps(string a, string b, double ulps) => Assert.Equal(ulps, (double)UlpComparer.Distance(a, b));

    [Fact]
    public void AcceptsOneUlpOnlyInMarkedValues()
    {
        Assert.Null(UlpComparer.Difference("x=~0x8p-3 y=1\n", "x=~0x8.000000000000001p-3 y=1\n"));
        Assert.NotNull(UlpComparer.Difference("x=~0x8p-3 y=1\n", "x=~0x8.000000000000002p-3 y=1\n"));
        Assert.NotNull(UlpComparer.Difference("x=~0x8p-3 y=1\n", "x=~0x8p-3 y=2\n"));
        Assert.NotNull(UlpComparer.Difference("x=0x8p-3\n", "x=0x8.000000000000001p-3\n"));
        Assert.NotNull(UlpComparer.Difference("x=~inf\n", "x=~nan\n"));
        Assert.NotNull(UlpComparer.Difference("a\nb\n", "a\n"));
    }
}
