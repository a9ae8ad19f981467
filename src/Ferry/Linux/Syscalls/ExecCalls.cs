using System.Runtime.InteropServices;
using System.Text;
using Ferry.Host;
using Ferry.Linux.Elf;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>execve and execveat. An x86-64 ELF replaces the guest image in place (same host process, no new
/// runtime); a <c>#!</c> script runs its interpreter the same way; a program only the host can run goes to
/// the host's execve. Errors come back as the kernel gives them.</summary>
internal static unsafe class ExecCalls
{
    private const int MaxScriptDepth = 4, AtEmptyPath = 0x1000, AtSymlinkNofollow = 0x100;
    private const ushort MachineX86_64 = 62;

    [Syscall(59, "execve", "sss")]
    private static long Execve(LinuxProcess proc, in SyscallArgs a) => Exec(proc, Guest.AtFdCwd, a.A0, a.A1, a.A2, 0);

    [Syscall(322, "execveat", "fsssx")]
    private static long Execveat(LinuxProcess proc, in SyscallArgs a) => Exec(proc, a.Int(0), a.A1, a.A2, a.A3, a.Int(4));

    /// <summary>Reads a NULL-terminated array of guest string pointers.</summary>
    private static List<byte[]>? Strings(LinuxProcess proc, ulong addr, out long error)
    {
        error = 0;
        var list = new List<byte[]>();
        if (addr == 0) return list;
        for (ulong n = 0; ; n++)
        {
            if (n >= 0x7FFFFFFF / 8) { error = -Errno.E2BIG; return null; }
            if (!Guest.Check(proc, addr + n * 8, 8, PageFlags.Read)) { error = -Errno.EFAULT; return null; }
            ulong p = proc.Memory.Read64(addr + n * 8);
            if (p == 0) return list;
            var s = proc.Memory.ReadCString(p, 128 * 1024);
            if (s == null) { error = proc.Memory.ReadCString(p, 1) == null && !Guest.Check(proc, p, 1, PageFlags.Read) ? -Errno.EFAULT : -Errno.E2BIG; return null; }
            list.Add(s);
        }
    }

    private static long Exec(LinuxProcess proc, int dirfd, ulong pathAddr, ulong argvAddr, ulong envpAddr, int flags)
    {
        if ((flags & ~(AtEmptyPath | AtSymlinkNofollow)) != 0) return -Errno.EINVAL;
        var raw = Guest.RawPath(proc, pathAddr, out long err);
        if (raw == null) return err;
        // AT_EXECFN is the path as the guest wrote it; the file is the host's (under a sysroot, another path).
        var path = Proc.ProcFs.ToHost(proc, raw, (flags & AtSymlinkNofollow) == 0);
        var argv = Strings(proc, argvAddr, out err);
        if (argv == null) return err;
        var envp = Strings(proc, envpAddr, out err);
        if (envp == null) return err;
        string file = Encoding.UTF8.GetString(path);
        var how = new Request(Encoding.UTF8.GetString(raw), false, false);
        if (path.Length == 0 || file[0] != '/' && dirfd != Guest.AtFdCwd)
        {
            if (path.Length == 0 && (flags & AtEmptyPath) == 0) return -Errno.ENOENT;
            int host = proc.Fds.Host(dirfd);
            if (host < 0) return -Errno.EBADF;
            // The kernel names such a program /dev/fd/N[/NAME] with the guest's N (AT_EXECFN, a script's path for its
            // interpreter). A close-on-exec fd is gone once the new image runs: an ELF still runs from it, a script
            // does not (its interpreter could not open it).
            how = new Request(path.Length == 0 ? $"/dev/fd/{dirfd}" : $"/dev/fd/{dirfd}/{how.ExecFn}", path.Length == 0,
                (LibC.Fcntl(host, 1 /* F_GETFD */, 0) & 1) != 0);
            file = path.Length == 0 ? $"/proc/self/fd/{host}" : $"/proc/self/fd/{host}/{file}";
        }
        else if (path.Length == 0) return -Errno.ENOENT;
        if ((flags & AtSymlinkNofollow) != 0 && IsSymlink(file)) return -Errno.ELOOP;
        return Run(proc, file, how, argv, envp, 0);
    }

    /// <summary>What stays of the original request through a script's interpreters: the name the kernel keeps for
    /// the program (AT_EXECFN, and comm's source), whether it was an fd alone (comm then comes from the file's own
    /// name) and whether that fd was close-on-exec.</summary>
    private readonly record struct Request(string ExecFn, bool EmptyPath, bool Inaccessible);

    private static string? ReadLink(string link)
    {
        try { return new FileInfo(link).LinkTarget; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static bool IsSymlink(string file)
    {
        try { return new FileInfo(file).LinkTarget != null; }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    /// <summary>What the kernel checks before it reads a byte: the path resolves, it is a regular file, and
    /// it may be executed. Then the first 256 bytes (BINPRM_BUF_SIZE) decide the format.</summary>
    private static long Open(string file, out byte[] head)
    {
        head = Array.Empty<byte>();
        int fd;
        fixed (byte* p = Encoding.UTF8.GetBytes(file + "\0"))
        {
            fd = LibC.OpenAt(Guest.AtFdCwd, p, 0x80000 /* O_RDONLY|O_CLOEXEC */, 0);
            if (fd < 0) return -LibC.Errno;
        }
        try
        {
            byte* st = stackalloc byte[256];
            byte empty = 0;
            if (LibC.Statx(fd, &empty, 0x1000, 0x7ff, st) != 0) return -LibC.Errno;
            if ((*(ushort*)(st + 28) & 0xF000) != 0x8000) return -Errno.EACCES;
            fixed (byte* p = Encoding.UTF8.GetBytes(file + "\0"))
                if (LibC.FaccessAt(Guest.AtFdCwd, p, 1 /* X_OK */, 0x200 /* AT_EACCESS */) != 0) return -LibC.Errno;
            var buf = new byte[256];
            nint n;
            fixed (byte* b = buf) n = LibC.Pread(fd, b, 256, 0);
            if (n < 0) return -LibC.Errno;
            head = buf[..(int)n];
            return 0;
        }
        finally { LibC.Close(fd); }
    }

    private static long Run(LinuxProcess proc, string file, Request how, List<byte[]> argv, List<byte[]> envp, int depth)
    {
        long r = Open(file, out var head);
        if (r < 0) return r;
        if (head.Length >= 2 && head[0] == '#' && head[1] == '!')
        {
            if (how.Inaccessible) return -Errno.ENOENT;
            if (depth >= MaxScriptDepth) return -Errno.ELOOP;
            var (interp, arg) = ParseShebang(head);
            if (interp == null) return -Errno.ENOEXEC;
            // argv becomes: interpreter, its optional argument, the script's path, then the old argv[1..].
            var nargv = new List<byte[]> { interp };
            if (arg != null) nargv.Add(arg);
            nargv.Add(Encoding.UTF8.GetBytes(depth == 0 ? how.ExecFn : Encoding.UTF8.GetString(argv[0])));
            nargv.AddRange(argv.Skip(1));
            // The interpreter is a guest path too: looked up in the sysroot first. AT_EXECFN stays the script's name.
            string ifile = Encoding.UTF8.GetString(interp);
            return Run(proc, proc.Sysroot.ToHost(ifile), how, nargv, envp, depth + 1);
        }
        if (head.Length >= 20 && head[0] == 0x7F && head[1] == 'E' && head[2] == 'L' && head[3] == 'F')
        {
            ushort machine = (ushort)(head[18] | head[19] << 8);
            if (machine == MachineX86_64 && head[4] == 2)
            {
                ElfFile elf;
                try { elf = ElfFile.Open(file); }
                catch (ElfException) { return -Errno.ENOEXEC; }
                catch (IOException) { return -Errno.EIO; }
                if (elf.Interpreter != null && !File.Exists(proc.Sysroot.ToHost(elf.Interpreter))) return -Errno.ENOENT;
                if (!InPlace && FreshFerry() is { } ferry)
                    return proc.HostExec(proc.CurrentThread, ferry[0], [.. ferry.Select(Encoding.UTF8.GetBytes), Encoding.UTF8.GetBytes("--"), Encoding.UTF8.GetBytes(file), .. argv.Skip(1)], envp);
                // The file must outlive the descriptors exec closes (it may be reached only through one of them):
                // the loader reads it through a descriptor of Ferry's own.
                int keep;
                fixed (byte* p = Encoding.UTF8.GetBytes(file + "\0")) keep = LibC.OpenAt(Guest.AtFdCwd, p, 0x80000 /* O_RDONLY|O_CLOEXEC */, 0);
                if (keep < 0) return -LibC.Errno;
                try
                {
                    string kept = $"/proc/self/fd/{keep}";
                    // comm: the last part of the name the program was run by, or the file's own name for an fd alone.
                    string comm = how.EmptyPath ? ReadLink(kept) ?? how.ExecFn : how.ExecFn;
                    proc.ExecInPlace(proc.CurrentThread, kept, elf, argv.Select(Encoding.UTF8.GetString).ToList(),
                        envp.Select(Encoding.UTF8.GetString).ToList(), how.ExecFn, comm);
                }
                finally { LibC.Close(keep); }
                return 0;
            }
            if (machine == HostMachine) return proc.HostExec(proc.CurrentThread, file, argv, envp);
        }
        return -Errno.ENOEXEC;
    }

    /// <summary>FERRY_EXEC_IN_PLACE=0 (read once, from Ferry's own environment) makes every exec of an x86-64
    /// program start a fresh ferry host process instead, with a new runtime: the comparison bench/exec.sh
    /// measures. The new process gets the program's host path as argv[0] and none of the command line's options.</summary>
    private static readonly bool InPlace = Environment.GetEnvironmentVariable("FERRY_EXEC_IN_PLACE") != "0";

    /// <summary>The command that starts Ferry again: the apphost alone, or dotnet and the entry assembly.</summary>
    private static string[]? FreshFerry()
    {
        string? host = Environment.ProcessPath, entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        if (host == null) return null;
        if (Path.GetFileNameWithoutExtension(host) != "dotnet") return [host];
        return string.IsNullOrEmpty(entry) ? null : [host, entry];
    }

    /// <summary>The ELF machine of programs the host runs itself (x86-64 ones are always Ferry's).</summary>
    private static readonly ushort HostMachine = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.Arm64 => 183,
        Architecture.RiscV64 => 243,
        Architecture.X64 => 3, // i386, where the host kernel has IA-32 emulation
        _ => 0,
    };

    /// <summary>The interpreter and optional single argument of a <c>#!</c> line, as binfmt_script splits it.</summary>
    private static (byte[]? Interp, byte[]? Arg) ParseShebang(byte[] head)
    {
        int end = Array.IndexOf(head, (byte)'\n');
        if (end < 0) end = head.Length;
        int i = 2;
        while (i < end && head[i] is (byte)' ' or (byte)'\t') i++;
        int s = i;
        while (i < end && head[i] is not ((byte)' ' or (byte)'\t' or 0)) i++;
        if (i == s) return (null, null);
        var interp = head[s..i];
        while (i < end && head[i] is (byte)' ' or (byte)'\t') i++;
        int e = end;
        while (e > i && head[e - 1] is (byte)' ' or (byte)'\t') e--;
        return (interp, e > i ? head[i..e] : null);
    }
}
