using Ferry.Cpu;
using Ferry.Host;
using Ferry.Linux;
using Ferry.Linux.Elf;

namespace Ferry;

/// <summary>Runs an x86-64 Linux program inside the current .NET process. The guest's system calls are
/// served by the host kernel; its memory is checked, so a bad guest can fail only itself.</summary>
/// <example><code>
/// var result = GuestProgram.RunCaptured("/path/to/hello", ["hello", "world"]);
/// Console.Write(result.StandardOutputText);
/// </code></example>
public static unsafe class GuestProgram
{
    /// <summary>Runs <paramref name="path"/> with the given standard descriptors (host descriptors; the
    /// guest gets its own duplicates as 0, 1 and 2) and returns how it ended.</summary>
    /// <param name="path">The program file.</param>
    /// <param name="argv">The guest's argv, argv[0] included.</param>
    /// <param name="environment">The guest's environment as NAME=value strings; null for this process's.</param>
    /// <param name="stdin">Host descriptor for guest fd 0.</param>
    /// <param name="stdout">Host descriptor for guest fd 1.</param>
    /// <param name="stderr">Host descriptor for guest fd 2.</param>
    /// <param name="strace">Where to trace system calls, or null.</param>
    /// <param name="cpu">The CPU the guest sees (CPUID); null for the highest level Ferry has proven.</param>
    /// <param name="sysroot">A directory holding an x86-64 userland where the guest's absolute paths (the
    /// program's too, and its ELF interpreter) are looked up first; null for none.</param>
    /// <exception cref="FileNotFoundException">The program does not exist.</exception>
    /// <exception cref="ElfException">The file is not a runnable x86-64 program.</exception>
    public static ProcessExit Run(string path, IReadOnlyList<string> argv, IReadOnlyList<string>? environment = null,
        int stdin = 0, int stdout = 1, int stderr = 2, TextWriter? strace = null, CpuLevel? cpu = null, string? sysroot = null)
        => Run(path, argv, environment, stdin, stdout, stderr, strace, cpu, sysroot, forwardHostSignals: false, out _);

    /// <summary>Runs <paramref name="path"/> as <see cref="Run(string, IReadOnlyList{string}, IReadOnlyList{string}?, int, int, int, TextWriter?, CpuLevel?, string?)"/>
    /// does; with <paramref name="forwardHostSignals"/>, signals sent to this host process reach the guest
    /// (for a program that is nothing but the guest, like the ferry command). <paramref name="forkedChild"/>
    /// tells whether the calling process is a copy made by a guest fork. The host descriptors in
    /// <paramref name="inherited"/> (above 2) become the guest's under the same numbers, as for a program started by
    /// exec (see <see cref="InheritedDescriptors"/>).</summary>
    public static ProcessExit Run(string path, IReadOnlyList<string> argv, IReadOnlyList<string>? environment,
        int stdin, int stdout, int stderr, TextWriter? strace, CpuLevel? cpu, string? sysroot, bool forwardHostSignals, out bool forkedChild,
        IReadOnlyList<int>? inherited = null)
    {
        forkedChild = false;
        using var proc = Load(path, argv, environment, strace, cpu, sysroot, forwardHostSignals);
        int[] fds = { stdin, stdout, stderr };
        for (int g = 0; g < 3; g++)
        {
            // Not close-on-exec: the guest's 0, 1 and 2 survive its execve, and the mark lives on the host descriptor.
            int h = LibC.Fcntl(fds[g], 0 /* F_DUPFD */, 3);
            if (h >= 0) proc.Fds.Set(g, h);
        }
        foreach (int fd in inherited ?? []) if (fd > 2) proc.Fds.Set(fd, fd);
        try { return proc.Run(); }
        finally
        {
            forkedChild = proc.IsForkedChild;
            proc.Fds.CloseAll();
        }
    }

    /// <summary>The descriptors above 2 that this process was started with: those without close-on-exec, since the
    /// runtime opens all of its own with it. Call it before anything else opens a descriptor without the flag.</summary>
    public static int[] InheritedDescriptors()
    {
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            if (int.TryParse(Path.GetFileName(entry), out int fd) && fd > 2)
            {
                int flags = LibC.Fcntl(fd, 1 /* F_GETFD */, 0);
                // The listing's own descriptor is gone by now (or close-on-exec).
                if (flags >= 0 && (flags & 1 /* FD_CLOEXEC */) == 0) found.Add(fd);
            }
        found.Sort();
        return [.. found];
    }

    /// <summary>Runs <paramref name="path"/> with <paramref name="input"/> as its standard input and
    /// captures what it writes to standard output and standard error.</summary>
    public static CapturedRun RunCaptured(string path, IReadOnlyList<string> argv, IReadOnlyList<string>? environment = null,
        byte[]? input = null, TextWriter? strace = null)
    {
        int* p = stackalloc int[6];
        const int cloexec = 0x80000;
        if (LibC.Pipe2(p, cloexec) != 0 || LibC.Pipe2(p + 2, cloexec) != 0 || LibC.Pipe2(p + 4, cloexec) != 0)
            throw new IOException($"pipe failed: {Errno.Describe(LibC.Errno)}");
        int inR = p[0], inW = p[1], outR = p[2], outW = p[3], errR = p[4], errW = p[5];
        var feeder = Task.Run(() =>
        {
            if (input != null) WriteAll(inW, input);
            LibC.Close(inW);
        });
        var outTask = Task.Run(() => ReadAll(outR));
        var errTask = Task.Run(() => ReadAll(errR));
        ProcessExit exit;
        try
        {
            exit = Run(path, argv, environment, inR, outW, errW, strace);
        }
        finally
        {
            LibC.Close(inR); LibC.Close(outW); LibC.Close(errW);
        }
        feeder.Wait();
        return new CapturedRun(exit, outTask.Result, errTask.Result);
    }

    /// <summary>Loads a program without running it, for callers that drive <see cref="LinuxProcess"/> themselves.</summary>
    public static LinuxProcess Load(string path, IReadOnlyList<string> argv, IReadOnlyList<string>? environment = null, TextWriter? strace = null, CpuLevel? cpu = null, string? sysroot = null, bool forwardHostSignals = false)
    {
        var root = new Linux.Vfs.Sysroot(sysroot);
        string guestPath = path;
        path = root.ToHost(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: No such file or directory", path);
        var env = environment ?? HostEnvironment();
        return LinuxProcess.Load(path, argv, env, strace, cpu is CpuLevel l ? CpuidModel.ForLevel(l) : null, root, forwardHostSignals, guestPath);
    }

    /// <summary>This process's environment, in the order exec gave it (what a native child would see:
    /// programs like env print it in that order), with the values .NET holds now; variables set since
    /// start-up come last, by name.</summary>
    private static List<string> HostEnvironment()
    {
        // Plain loops: LINQ over DictionaryEntry and KeyValuePair is generic code over structs, which has
        // no ReadyToRun form and was JIT-compiled at every start.
        var vars = Environment.GetEnvironmentVariables();
        var current = new Dictionary<string, string>(vars.Count, StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in vars) current[(string)e.Key] = (string?)e.Value ?? "";
        var list = new List<string>();
        try
        {
            foreach (var entry in File.ReadAllText("/proc/self/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = entry.IndexOf('=');
                string name = eq < 0 ? entry : entry[..eq];
                if (current.Remove(name, out var value)) list.Add($"{name}={value}");
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        var later = new List<string>(current.Keys);
        later.Sort(StringComparer.Ordinal);
        foreach (var name in later) list.Add($"{name}={current[name]}");
        return list;
    }

    private static void WriteAll(int fd, byte[] data)
    {
        fixed (byte* b = data)
        {
            int off = 0;
            while (off < data.Length)
            {
                nint n = LibC.Write(fd, b + off, (nuint)(data.Length - off));
                if (n <= 0) { if (n < 0 && LibC.Errno == Errno.EINTR) continue; return; }
                off += (int)n;
            }
        }
    }

    private static byte[] ReadAll(int fd)
    {
        var ms = new MemoryStream();
        var buf = new byte[65536];
        fixed (byte* b = buf)
        {
            while (true)
            {
                nint n = LibC.Read(fd, b, (nuint)buf.Length);
                if (n < 0 && LibC.Errno == Errno.EINTR) continue;
                if (n <= 0) break;
                ms.Write(buf, 0, (int)n);
            }
        }
        LibC.Close(fd);
        return ms.ToArray();
    }
}
