using System.Diagnostics;

namespace Ferry.Host;

/// <summary>Phase times of Ferry's start-up, printed to standard error when the environment variable
/// <c>FERRY_STARTUP_TRACE</c> is set (to anything but <c>0</c>), so that start-up can be measured again
/// whenever it changes. Each line gives the wall-clock and CPU time (of the calling thread) since the
/// previous mark, and the wall-clock time since the process began.</summary>
public static class StartupTrace
{
    /// <summary>True when marks are printed.</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("FERRY_STARTUP_TRACE") is { Length: > 0 } v && v != "0";

    // The main thread's CPU time when the trace starts: what the host and the runtime spent before Main.
    private static readonly double s_cpuBeforeMain = ThreadCpuMilliseconds();
    private static long s_last = Warm();
    private static readonly long s_first = s_last;
    private static double s_lastCpu = ThreadCpuMilliseconds();
    private static readonly double s_sinceExecAtFirstMark = Enabled ? MillisecondsSinceExec() : 0;

    // The first line written to the console costs milliseconds of its own (the stream, the encoder, number
    // formatting): paid here, before the clock starts, so that it does not land in the first phase.
    private static long Warm()
    {
        if (Enabled) Console.Error.Write($"{0.5:F2}"[..0]);
        return Stopwatch.GetTimestamp();
    }

    /// <summary>Prints the time spent since the previous mark, as the phase <paramref name="phase"/>.</summary>
    public static void Mark(string phase)
    {
        if (!Enabled) return;
        long now = Stopwatch.GetTimestamp();
        double step = Stopwatch.GetElapsedTime(s_last, now).TotalMilliseconds;
        double total = s_sinceExecAtFirstMark + Stopwatch.GetElapsedTime(s_first, now).TotalMilliseconds;
        double cpu = ThreadCpuMilliseconds();
        if (s_marks++ == 0) Console.Error.WriteLine($"ferry: startup: {"host and runtime, before Main",-36}  cpu  {s_cpuBeforeMain,7:F2} ms");
        Console.Error.WriteLine($"ferry: startup: {phase,-36} +{step,7:F2} ms, cpu +{cpu - s_lastCpu,7:F2} ms  (at {total,7:F2} ms){NewAssemblies()}");
        s_last = Stopwatch.GetTimestamp();
        s_lastCpu = ThreadCpuMilliseconds();
    }

    private static int s_once, s_assemblies, s_marks;

    // Each assembly loaded costs start-up time and memory: the marks name the ones a phase brought in.
    private static string NewAssemblies()
    {
        var all = AppDomain.CurrentDomain.GetAssemblies();
        var names = new System.Text.StringBuilder();
        for (int n = s_assemblies; n < all.Length; n++) names.Append(n == s_assemblies ? "  loaded " : ", ").Append(all[n].GetName().Name);
        s_assemblies = all.Length;
        return names.ToString();
    }

    /// <summary><see cref="Mark"/>, the first time only (for a mark on a path that runs again and again).</summary>
    public static void MarkOnce(string phase)
    {
        if (Interlocked.Exchange(ref s_once, 1) == 0) Mark(phase);
    }

    // The calling thread's CPU time: on a loaded machine the wall-clock steps include waits for a core,
    // the CPU steps do not.
    private static unsafe double ThreadCpuMilliseconds()
    {
        long* ts = stackalloc long[2];
        return LibC.ClockGettime(3 /* CLOCK_THREAD_CPUTIME_ID */, ts) == 0 ? ts[0] * 1e3 + ts[1] / 1e6 : 0;
    }

    // The time from the exec of this process to now. The kernel keeps a process's start in clock ticks
    // (10 ms here), too coarse for start-up; a launcher that sets FERRY_STARTUP_T0 to the exec time in
    // nanoseconds of the real-time clock (date +%s%N) gives an exact origin.
    private static double MillisecondsSinceExec()
    {
        if (long.TryParse(Environment.GetEnvironmentVariable("FERRY_STARTUP_T0"), out var t0Ns))
            return (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 1e4 - t0Ns / 1e6;
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            double startTicks = double.Parse(fields[19], System.Globalization.CultureInfo.InvariantCulture);
            double uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            return uptime * 1000 - startTicks * 10;
        }
        catch (IOException) { return 0; }
        catch (FormatException) { return 0; }
    }
}
