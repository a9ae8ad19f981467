using System.Globalization;
using System.Text;
using Ferry.Host;

namespace Ferry.Linux.Proc;

/// <summary>The guest's view of /proc. The guest process is the host process, so most of /proc passes
/// through; what would show the runtime instead of the guest is answered here: cmdline, environ, maps,
/// smaps, smaps_rollup, auxv, stat, statm, status, comm and exe of the process, each guest thread's comm,
/// stat and status under task/TID (thread-self is the calling thread's), /proc/cpuinfo
/// for the CPU that CPUID reports, and descriptor numbers under fd/ and fdinfo/ (and /dev/fd,
/// /dev/stdin...), which are the guest's.</summary>
internal static class ProcFs
{
    /// <summary>For a path inside the process's own /proc directory (/proc/self, /proc/thread-self or
    /// /proc/PID with the process's pid), the rest of the path ("" for the directory itself); else null.</summary>
    public static string? OwnEntry(string path)
    {
        if (!path.StartsWith("/proc/", StringComparison.Ordinal)) return null;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2) return null;
        string who = parts[1];
        bool own = who is "self" or "thread-self" ||
            int.TryParse(who, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid == LibC.Getpid();
        if (!own) return null;
        // thread-self is the calling thread's task directory (guest thread ids are the host's).
        if (who == "thread-self" && LibC.Gettid() != LibC.Getpid())
            return string.Join('/', new[] { "task", LibC.Gettid().ToString(CultureInfo.InvariantCulture) }.Concat(parts.Skip(2)));
        // The main thread's task directory is the process's own (its tid is the pid).
        if (parts.Length >= 4 && parts[2] == "task" && parts[3] == LibC.Getpid().ToString(CultureInfo.InvariantCulture))
            return string.Join('/', parts.Skip(4));
        return string.Join('/', parts.Skip(2));
    }

    private static string? DevFd(string path) => path switch
    {
        "/dev/stdin" => "fd/0",
        "/dev/stdout" => "fd/1",
        "/dev/stderr" => "fd/2",
        _ when path.StartsWith("/dev/fd/", StringComparison.Ordinal) => "fd/" + path["/dev/fd/".Length..],
        _ => null,
    };

    /// <summary>The host path for a guest path: descriptor numbers translated, /proc/self/exe made the
    /// guest's program, everything else looked up in the sysroot first.</summary>
    /// <param name="proc">The guest process.</param>
    /// <param name="guestPath">The path as the guest wrote it.</param>
    /// <param name="followLast">False for calls that act on a final symlink itself (lstat, readlink): exe
    /// then stays the host's own link, whose link metadata is the same.</param>
    public static byte[] ToHost(LinuxProcess proc, byte[] guestPath, bool followLast)
    {
        if (guestPath.Length > 4 && guestPath[0] == (byte)'/' && (guestPath[1] == (byte)'p' || guestPath[1] == (byte)'d'))
        {
            string s = Encoding.UTF8.GetString(guestPath);
            string? rest = OwnEntry(s) ?? DevFd(s);
            if (rest != null)
            {
                var parts = rest.Split('/');
                if (parts.Length >= 2 && parts[1].Length > 0 && parts[0] is "fd" or "fdinfo")
                {
                    // A number that is not a guest descriptor must not reach one of the runtime's.
                    int host = int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int g) ? proc.Fds.Host(g) : -1;
                    parts[1] = host.ToString(CultureInfo.InvariantCulture);
                    return Encoding.UTF8.GetBytes("/proc/self/" + string.Join('/', parts));
                }
                if (rest == "exe") return Encoding.UTF8.GetBytes(followLast ? Executable(proc) : "/proc/self/exe");
            }
        }
        return proc.Sysroot.ToHost(guestPath, followLast);
    }

    /// <summary>The contents of a generated file at <paramref name="guestPath"/>, or null when the path is not one.</summary>
    public static byte[]? Content(LinuxProcess proc, string guestPath)
    {
        if (guestPath == "/proc/cpuinfo") return CpuInfoFile.Build(proc.MainThread.Cpuid);
        var st = proc.StackLayout;
        string? rest = OwnEntry(guestPath);
        if (rest != null && rest.StartsWith("task/", StringComparison.Ordinal)) return ThreadContent(proc, rest);
        return rest switch
        {
            "cmdline" => st == null ? Array.Empty<byte>() : ReadGuest(proc, st.ArgStart, st.ArgEnd),
            "environ" => st == null ? Array.Empty<byte>() : ReadGuest(proc, st.EnvStart, st.EnvEnd),
            "auxv" => st?.Auxv ?? Array.Empty<byte>(),
            "comm" => [.. proc.Leader.Name, (byte)'\n'],
            "maps" => MapsFile.Build(proc),
            "smaps" => SmapsFile.Build(proc),
            "smaps_rollup" => SmapsFile.BuildRollup(proc),
            "stat" => StatFiles.Stat(proc, proc.Leader, "/proc/self/stat"),
            "status" => StatFiles.Status(proc, proc.Leader, "/proc/self/status"),
            "statm" => StatFiles.Statm(proc),
            _ => null,
        };
    }

    /// <summary>The thread whose comm file <paramref name="guestPath"/> is, or null.</summary>
    public static Threads.GuestThread? CommTarget(LinuxProcess proc, string guestPath)
    {
        string? rest = OwnEntry(guestPath);
        if (rest == "comm") return proc.Leader;
        var parts = rest?.Split('/');
        if (parts is not { Length: 3 } || parts[0] != "task" || parts[2] != "comm") return null;
        return int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int tid) ? proc.FindThread(tid) : null;
    }

    // task/TID/...: another guest thread's own files; the shared ones (maps, ...) are the process's.
    private static byte[]? ThreadContent(LinuxProcess proc, string rest)
    {
        var parts = rest.Split('/');
        if (parts.Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int tid)) return null;
        var t = proc.FindThread(tid);
        if (t == null) return null;
        string host = $"/proc/self/task/{tid}/{parts[2]}";
        return parts[2] switch
        {
            "comm" => [.. t.Name, (byte)'\n'],
            "stat" => StatFiles.Stat(proc, t, host),
            "status" => StatFiles.Status(proc, t, host),
            "maps" => MapsFile.Build(proc),
            "smaps" => SmapsFile.Build(proc),
            "statm" => StatFiles.Statm(proc),
            "cmdline" or "environ" or "auxv" => Content(proc, "/proc/self/" + parts[2]),
            _ => null,
        };
    }

    private static readonly HashSet<string> Generated = new(StringComparer.Ordinal)
    {
        "cmdline", "environ", "auxv", "maps", "smaps", "smaps_rollup", "stat", "status", "statm", "comm", "cpuinfo", "fd", "task",
    };

    /// <summary>True for a last path component that may name a generated file or the fd directory (a
    /// cheap test before working out which directory a relative name is in).</summary>
    public static bool IsGeneratedName(string name) => Generated.Contains(name);

    /// <summary>For the process's fd and task directories, what their listing is (the guest's descriptors and
    /// threads); null for other paths.</summary>
    public static ListedDirectory.Kind? Listing(string guestPath) => OwnEntry(guestPath) switch
    {
        "fd" => ListedDirectory.Kind.Fds,
        "task" => ListedDirectory.Kind.Tasks,
        _ => guestPath is "/dev/fd" or "/dev/fd/" ? ListedDirectory.Kind.Fds : null,
    };

    /// <summary>The target of a link the guest must see differently from the host, or null.</summary>
    public static string? ReadLink(LinuxProcess proc, string guestPath)
    {
        string? rest = OwnEntry(guestPath) ?? DevFd(guestPath);
        if (rest == "exe") return proc.Sysroot.ToGuest(Executable(proc));
        // A guest signalfd is a host eventfd underneath (Ferry answers its reads): name it as the kernel does.
        if (rest != null && rest.StartsWith("fd/", StringComparison.Ordinal)
            && int.TryParse(rest.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out int g)
            && proc.Fds.Host(g) is >= 0 and var host && Signals.SignalFd.Find(host) != null)
            return "anon_inode:[signalfd]";
        return null;
    }

    private static string Executable(LinuxProcess proc) => proc.StackLayout?.Executable ?? Path.GetFullPath(proc.ExecutablePath);

    // A live read, as the kernel's: a program that rewrote its argv strings shows the new text.
    private static byte[] ReadGuest(LinuxProcess proc, ulong start, ulong end)
    {
        if (end <= start) return Array.Empty<byte>();
        var b = new byte[end - start];
        try { proc.Memory.ReadBytes(start, b); }
        catch (Memory.MemoryFault) { return Array.Empty<byte>(); }
        return b;
    }
}
