using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>Checks on guest pointers handed to system calls, so the host kernel only ever touches guest memory.</summary>
internal static class Guest
{
    /// <summary>How many bytes from <paramref name="addr"/> (up to <paramref name="len"/>) the guest may access,
    /// page by page, as the kernel's copy_to/from_user would get before faulting.</summary>
    public static ulong Prefix(LinuxProcess proc, ulong addr, ulong len, PageFlags need)
    {
        if (len == 0) return 0;
        ulong done = 0;
        while (done < len)
        {
            ulong a = addr + done;
            if (a < addr) break;
            ulong chunk = Math.Min(len - done, PageMap.PageSize - (a & PageMap.PageMask));
            if (!proc.Memory.CanAccess(a, chunk, need)) break;
            done += chunk;
        }
        return done;
    }

    /// <summary>True when the whole range is accessible.</summary>
    public static bool Check(LinuxProcess proc, ulong addr, ulong len, PageFlags need) =>
        len == 0 || proc.Memory.CanAccess(addr, len, need);

    /// <summary>Reads a path argument and gives the host path to use for it (the sysroot and the guest's
    /// /proc view applied); null with <paramref name="error"/> set when it is unreadable or too long.
    /// <paramref name="followLast"/> is true for calls that follow a final symlink (open, stat, access,
    /// chdir...), so a sysroot's absolute links are resolved inside it; calls that act on the link itself
    /// (unlink, rename, lstat...) keep it.</summary>
    public static byte[]? Path(LinuxProcess proc, ulong addr, out long error, bool followLast = false)
    {
        var raw = RawPath(proc, addr, out error);
        return raw == null ? null : Proc.ProcFs.ToHost(proc, raw, followLast);
    }

    /// <summary>Reads a path argument as the guest wrote it, untranslated (a symlink's target, a name to
    /// recognise); null with <paramref name="error"/> set when it is unreadable or too long.</summary>
    public static byte[]? RawPath(LinuxProcess proc, ulong addr, out long error)
    {
        error = 0;
        if (addr == 0) { error = -Errno.EFAULT; return null; }
        var s = proc.Memory.ReadCString(addr, 4096);
        if (s == null)
        {
            error = proc.Memory.ReadCString(addr, 1 << 20) != null ? -Errno.ENAMETOOLONG : -Errno.EFAULT;
            return null;
        }
        return s;
    }

    /// <summary>NUL-terminates a path for the host.</summary>
    public static byte[] Z(byte[] path)
    {
        var z = new byte[path.Length + 1];
        path.CopyTo(z, 0);
        return z;
    }

    public const int AtFdCwd = -100;

    /// <summary>The host descriptor for a dirfd argument: AT_FDCWD stays, others are looked up (-1 if not open).</summary>
    public static int DirFd(LinuxProcess proc, int guestFd) => guestFd == AtFdCwd ? AtFdCwd : proc.Fds.Host(guestFd);
}
