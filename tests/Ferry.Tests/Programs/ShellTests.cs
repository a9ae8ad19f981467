using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Programs;

/// <summary>The host's /bin/sh (an x86-64 ELF here: dash, dynamically linked) run under Ferry must behave as
/// natively: pipelines fork and exec, subshells exit with their status, $? reports it.</summary>
public sealed class ShellTests
{
    [Theory]
    [InlineData("echo a | tr a b; (exit 3); echo $?")]
    [InlineData("for i in 1 2 3; do echo $i; done | sort -r | head -n 2; false || echo or; kill -TERM $$")]
    [InlineData("x=$(echo inner; exit 5); echo \"$x $?\"; sh -c 'exit 7'; echo $?; exec /bin/echo replaced")]
    public void ShellMatchesNative(string script)
    {
        var header = new byte[20];
        using (var f = File.OpenRead("/bin/sh")) f.ReadExactly(header);
        Assert.True(header[0] == 0x7F && header[1] == 'E' && header[18] == 62, "/bin/sh must be an x86-64 ELF for this test");
        var native = ProcessRunner.Native("/bin/sh", ["-c", script]);
        var ferry = ProcessRunner.Ferry("/bin/sh", ["-c", script]);
        Assert.Equal(native.ToString(), ferry.ToString());
    }
}
