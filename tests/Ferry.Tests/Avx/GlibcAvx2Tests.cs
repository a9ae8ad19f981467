using Ferry.Cpu;
using Ferry.Host;
using Ferry.Linux;
using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Avx;

/// <summary>Guest programs run under a CPU that reports x86-64-v3, so glibc's ifuncs pick their AVX2/BMI2
/// string and memory routines (memcpy/memset/memcmp/strlen/strchr/strcmp … _avx2), which then run on
/// Ferry's VEX semantics; the output must equal the native run's. (Ferry does not report v3 by default
/// until the legacy SSE3–SSE4.2 forms exist; these programs avoid the routines that need them.)</summary>
[Collection(Ferry.Tests.Support.InProcessGuestsCollection.Name)]
public sealed unsafe class GlibcAvx2Tests
{
    public static TheoryData<string> Programs => new()
    {
        "string_mem_align.c", "string_str_align.c", "malloc_patterns.c", "search_hsearch_tsearch.c", "algo_mix.c",
        "vec_bytes_transform.c", "avx2_fma_kernels.c",
    };

    [Theory, MemberData(nameof(Programs))]
    public void MatchesNativeWithAvx2Routines(string source)
    {
        var binary = GuestBuilder.Build(Path.Combine(Repo.GuestSources, source), "static");
        var native = ProcessRunner.Native(binary, []);
        var env = ProcessRunner.Environment.Select(kv => $"{kv.Key}={kv.Value}").ToList();
        var ferry = RunInProcess(binary, env, new CpuidModel(CpuFeature.V3));
        Assert.Equal(native.ToString(), ferry.ToString());
    }

    private static RunResult RunInProcess(string binary, List<string> env, CpuidModel cpu)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"ferry-avx2-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string outPath = Path.Combine(dir, "out"), errPath = Path.Combine(dir, "err");
            ProcessExit exit;
            using (var stdin = File.OpenHandle("/dev/null"))
            using (var stdout = File.OpenHandle(outPath, FileMode.Create, FileAccess.Write))
            using (var stderr = File.OpenHandle(errPath, FileMode.Create, FileAccess.Write))
            using (var proc = LinuxProcess.Load(binary, [Path.GetFileName(binary)], env, null, cpu))
            {
                int[] fds = [(int)stdin.DangerousGetHandle(), (int)stdout.DangerousGetHandle(), (int)stderr.DangerousGetHandle()];
                for (int g = 0; g < 3; g++) proc.Fds.Set(g, LibC.Fcntl(fds[g], 1030 /* F_DUPFD_CLOEXEC */, 3));
                try { exit = proc.Run(); }
                finally { proc.Fds.CloseAll(); }
            }
            return new RunResult(exit.ShellStatus, File.ReadAllText(outPath), File.ReadAllText(errPath));
        }
        finally { Directory.Delete(dir, true); }
    }
}
