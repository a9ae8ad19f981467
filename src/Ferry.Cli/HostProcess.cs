using System.Runtime.InteropServices;

namespace Ferry.Cli;

/// <summary>Ends the emulator the way the guest ended, so a parent's wait status matches a native run.</summary>
internal static partial class HostProcess
{
    [LibraryImport("libc", EntryPoint = "signal")] private static partial nint Signal(int sig, nint handler);
    [LibraryImport("libc", EntryPoint = "kill")] private static partial int Kill(int pid, int sig);
    [LibraryImport("libc", EntryPoint = "getpid")] private static partial int Getpid();
    [LibraryImport("libc", EntryPoint = "setrlimit")] private static unsafe partial int Setrlimit(int resource, ulong* limit);
    [LibraryImport("libc", EntryPoint = "sigprocmask")] private static unsafe partial int Sigprocmask(int how, ulong* set, ulong* old);
    [LibraryImport("libc", EntryPoint = "_exit")] private static partial void Exit(int status);

    [LibraryImport("libc", EntryPoint = "execve")] private static unsafe partial int Execve(byte* path, byte** argv, byte** envp);

    /// <summary>Leaves now with <paramref name="status"/>, after flushing Ferry's own output.</summary>
    public static void ExitNow(int status)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        Host.RuntimeFiles.Remove();
        Exit(status);
    }

    private const string Retried = "FERRY_FORKABLE_RETRY";

    /// <summary>A guest fork forks this process, which works only with W^X off (else parent and child share
    /// the JIT's code heap through a double mapping), without concurrent GC (a nested fork hangs in it) and
    /// without tiered compilation (its background thread compiles at unpredictable times, and a child forked
    /// meanwhile inherits its locks). The runtimeconfig says so, but environment variables override it: if they
    /// did, Ferry starts itself again with them corrected.</summary>
    public static void EnsureForkable()
    {
        bool doubleMapped = File.ReadAllText("/proc/self/maps").Contains("doublemapper", StringComparison.Ordinal);
        bool concurrentGc = System.Runtime.GCSettings.LatencyMode != System.Runtime.GCLatencyMode.Batch;
        // The runtime reads the setting from either prefix; only the environment can turn it back on.
        bool tiered = TieredCompilationOn("DOTNET_TieredCompilation") || TieredCompilationOn("COMPlus_TieredCompilation");
        if (!doubleMapped && !concurrentGc && !tiered) return;
        Restart();
    }

    private static bool TieredCompilationOn(string name) =>
        Environment.GetEnvironmentVariable(name) is { } v && v.Trim() != "0";

    // Apart from EnsureForkable's check, which every start runs, so that the check alone loads no more
    // of the framework (LINQ, collections) than it needs.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static unsafe void Restart()
    {
        if (Environment.GetEnvironmentVariable(Retried) != null)
        {
            Console.Error.WriteLine("ferry: warning: cannot turn off W^X, concurrent GC or tiered compilation; guest fork may fail");
            return;
        }
        var cmdline = File.ReadAllBytes("/proc/self/cmdline");
        var argv = cmdline.Length == 0 ? new List<byte[]>() : SplitNul(cmdline);
        var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => (string)e.Key)
            .Where(k => !k.Equals("DOTNET_EnableWriteXorExecute", StringComparison.OrdinalIgnoreCase)
                && !k.Equals("DOTNET_gcConcurrent", StringComparison.OrdinalIgnoreCase)
                && !k.Equals("COMPlus_gcConcurrent", StringComparison.OrdinalIgnoreCase)
                && !k.Equals("DOTNET_TieredCompilation", StringComparison.OrdinalIgnoreCase)
                && !k.Equals("COMPlus_TieredCompilation", StringComparison.OrdinalIgnoreCase))
            .Select(k => System.Text.Encoding.UTF8.GetBytes($"{k}={Environment.GetEnvironmentVariable(k)}"))
            .Append("DOTNET_EnableWriteXorExecute=0"u8.ToArray())
            .Append("DOTNET_gcConcurrent=0"u8.ToArray())
            .Append("DOTNET_TieredCompilation=0"u8.ToArray())
            .Append(System.Text.Encoding.UTF8.GetBytes($"{Retried}=1"))
            .ToList();
        byte** av = Strings(argv), ev = Strings(env);
        byte** exe = Strings(new List<byte[]> { "/proc/self/exe"u8.ToArray() });
        Execve(exe[0], av, ev);
        Console.Error.WriteLine("ferry: warning: cannot restart with W^X, concurrent GC and tiered compilation off; guest fork may fail");
    }

    private static List<byte[]> SplitNul(byte[] b)
    {
        var list = new List<byte[]>();
        int start = 0;
        for (int n = 0; n < b.Length; n++)
            if (b[n] == 0) { list.Add(b[start..n]); start = n + 1; }
        if (start < b.Length) list.Add(b[start..]);
        return list;
    }

    private static unsafe byte** Strings(List<byte[]> items)
    {
        var v = (byte**)NativeMemory.Alloc((nuint)(items.Count + 1), (nuint)sizeof(byte*));
        for (int n = 0; n < items.Count; n++)
        {
            var s = (byte*)NativeMemory.Alloc((nuint)items[n].Length + 1);
            items[n].CopyTo(new Span<byte>(s, items[n].Length));
            s[items[n].Length] = 0;
            v[n] = s;
        }
        v[items.Count] = null;
        return v;
    }

    /// <summary>Terminates this process with <paramref name="sig"/>'s default action.</summary>
    public static unsafe void DieBySignal(int sig)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        Host.RuntimeFiles.Remove();
        // A core of the emulator would be huge and useless to the guest's owner.
        ulong* noCore = stackalloc ulong[2];
        noCore[0] = noCore[1] = 0;
        Setrlimit(4 /* RLIMIT_CORE */, noCore);
        Signal(sig, 0 /* SIG_DFL */);
        ulong* set = stackalloc ulong[16];
        for (int n = 0; n < 16; n++) set[n] = 0;
        set[0] = 1UL << (sig - 1);
        Sigprocmask(1 /* SIG_UNBLOCK */, set, null);
        Kill(Getpid(), sig);
        // Signals whose default is to be ignored or to stop do not end us; report as a shell would.
        Exit(128 + sig);
    }
}
