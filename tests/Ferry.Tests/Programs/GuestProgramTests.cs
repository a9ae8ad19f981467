using System.Text;
using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Programs;

/// <summary>Every C program under tests/guest, compiled static and static-pie by the machine's gcc,
/// must give the same stdout, stderr and status under Ferry as natively.</summary>
public sealed class GuestProgramTests
{
    public static IEnumerable<object[]> Programs() =>
        Directory.GetFiles(Repo.GuestSources, "*.c").Order()
            .SelectMany(f => new[] { "static", "static-pie" }.Select(m => new object[] { Path.GetFileName(f), m }));

    private static readonly byte[] Input = Encoding.UTF8.GetBytes("first line\nSecond Line with MiXeD case\n\n  indented\tand tabbed\nno newline at end");

    private static string[] ArgsFor(string name) => name switch
    {
        "args_env.c" => new[] { "alpha", "two words", "", "--flag=x", "ünïcode" },
        _ => Array.Empty<string>(),
    };

    [Theory]
    [MemberData(nameof(Programs))]
    public void MatchesNative(string source, string mode)
    {
        var binary = GuestBuilder.Build(Path.Combine(Repo.GuestSources, source), mode);
        var args = ArgsFor(source);
        var native = ProcessRunner.Native(binary, args, Input);
        var ferry = ProcessRunner.Ferry(binary, args, Input);
        if (!UlpTolerant(source))
        {
            // One comparison, status and stderr first, so a failure shows why the guest stopped.
            Assert.Equal(native.ToString(), ferry.ToString());
            return;
        }
        Assert.Equal((native.Status, native.Stderr), (ferry.Status, ferry.Stderr));
        Assert.Null(UlpComparer.Difference(native.Stdout, ferry.Stdout));
    }

    /// <summary>A source whose header says <c>// compare: ulp</c> prints x87 transcendental results
    /// as <c>~%La</c>, compared to within one ulp (see <see cref="UlpComparer"/>).</summary>
    private static bool UlpTolerant(string source) =>
        File.ReadLines(Path.Combine(Repo.GuestSources, source)).TakeWhile(l => l.StartsWith("//", StringComparison.Ordinal)).Any(l => l.Trim() == "// compare: ulp");
}
