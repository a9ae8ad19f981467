using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Linux;

/// <summary>Environment variables that turn back on what a guest fork needs off (concurrent GC, tiered compilation,
/// W^X) make Ferry start itself again with them off; the guest's environment is Ferry's, so a program that prints
/// its environment shows the corrected values.</summary>
public sealed class CliForkableTests
{
    [Theory]
    [InlineData("DOTNET_TieredCompilation", "1")]
    [InlineData("COMPlus_TieredCompilation", "1")]
    [InlineData("DOTNET_gcConcurrent", "1")]
    [InlineData("DOTNET_EnableWriteXorExecute", "1")]
    public void AnOverrideIsUndoneBeforeTheGuestRuns(string name, string value)
    {
        var run = ProcessRunner.Ferry("/usr/bin/env", [], extraEnvironment: new Dictionary<string, string> { [name] = value });
        Assert.True(run.Status == 0, run.ToString());
        var env = run.Stdout.Split('\n');
        Assert.DoesNotContain($"{name}={value}", env);
        Assert.Contains("FERRY_FORKABLE_RETRY=1", env);
        Assert.Contains("DOTNET_TieredCompilation=0", env);
        Assert.Contains("DOTNET_gcConcurrent=0", env);
        Assert.Contains("DOTNET_EnableWriteXorExecute=0", env);
    }

    /// <summary>The runtime's debugger pipes and diagnostic socket, named after the process, are gone when Ferry has
    /// ended (it ends with _exit, so the runtime never removes them itself).</summary>
    [Fact]
    public void NoRuntimeFilesAreLeftBehind()
    {
        string dir = Directory.CreateTempSubdirectory("ferry-runtime-files-").FullName;
        try
        {
            var env = new Dictionary<string, string> { ["TMPDIR"] = dir };
            var ok = ProcessRunner.Ferry(Path.Combine(Repo.Root, "samples", "hello"), [], extraEnvironment: env);
            Assert.True(ok.Status == 0, ok.ToString());
            var killed = ProcessRunner.Ferry("/bin/sh", ["-c", "kill -TERM $$"], extraEnvironment: env);
            Assert.Equal(128 + 15, killed.Status);
            Assert.Empty(Directory.GetFileSystemEntries(dir));
        }
        finally { Directory.Delete(dir, true); }
    }
}
