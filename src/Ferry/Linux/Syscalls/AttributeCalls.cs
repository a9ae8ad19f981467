using Ferry.Host;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>Extended attributes (get/set/list/remove, by path, by path without following links, and by
/// descriptor) and file-system statistics (statfs, fstatfs).</summary>
internal static unsafe class AttributeCalls
{
    private const int XattrNameMax = 255, XattrSizeMax = 65536;
    // struct statfs is 120 bytes of 64-bit words on x86-64 and on every 64-bit host glibc supports.
    private const int StatfsSize = 120;

    private enum Target { Path, Link, Fd }

    private static long Name(LinuxProcess proc, ulong addr, out byte[]? name)
    {
        name = null;
        if (addr == 0) return -Errno.EFAULT;
        var s = proc.Memory.ReadCString(addr, XattrNameMax + 1);
        if (s == null) return proc.Memory.ReadCString(addr, 1 << 16) != null ? -Errno.ERANGE : -Errno.EFAULT;
        if (s.Length == 0) return -Errno.ERANGE;
        name = Guest.Z(s);
        return 0;
    }

    // Resolves the object argument (path or descriptor) and runs the call on it.
    private static long On(LinuxProcess proc, Target t, ulong obj, Func<nint, int, long> call)
    {
        if (t == Target.Fd)
        {
            int h = proc.Fds.Host((long)obj);
            return h < 0 ? -Errno.EBADF : call(0, h);
        }
        var path = Guest.Path(proc, obj, out long err, followLast: t == Target.Path);
        if (path == null) return err;
        fixed (byte* p = Guest.Z(path)) return call((nint)p, -1);
    }

    private static long Get(LinuxProcess proc, in SyscallArgs a, Target t)
    {
        long e = Name(proc, a.A1, out var name);
        if (e < 0) return e;
        ulong size = Math.Min(a.A3, XattrSizeMax);
        if (size > 0 && !Guest.Check(proc, a.A2, size, PageFlags.Write)) return -Errno.EFAULT;
        void* value = (void*)a.A2;
        fixed (byte* n = name)
        {
            byte* np = n;
            return On(proc, t, a.A0, (p, fd) => LibC.Result(t switch
            {
                Target.Path => LibC.Getxattr((byte*)p, np, value, (nuint)size),
                Target.Link => LibC.Lgetxattr((byte*)p, np, value, (nuint)size),
                _ => LibC.Fgetxattr(fd, np, value, (nuint)size),
            }));
        }
    }

    private static long Set(LinuxProcess proc, in SyscallArgs a, Target t)
    {
        long e = Name(proc, a.A1, out var name);
        if (e < 0) return e;
        ulong size = a.A3;
        if (size > XattrSizeMax) return -Errno.E2BIG;
        if (size > 0 && !Guest.Check(proc, a.A2, size, PageFlags.Read)) return -Errno.EFAULT;
        void* value = (void*)a.A2;
        int flags = a.Int(4);
        fixed (byte* n = name)
        {
            byte* np = n;
            return On(proc, t, a.A0, (p, fd) => LibC.Result(t switch
            {
                Target.Path => LibC.Setxattr((byte*)p, np, value, (nuint)size, flags),
                Target.Link => LibC.Lsetxattr((byte*)p, np, value, (nuint)size, flags),
                _ => LibC.Fsetxattr(fd, np, value, (nuint)size, flags),
            }));
        }
    }

    private static long List(LinuxProcess proc, in SyscallArgs a, Target t)
    {
        ulong size = Math.Min(a.A2, XattrSizeMax);
        if (size > 0 && !Guest.Check(proc, a.A1, size, PageFlags.Write)) return -Errno.EFAULT;
        byte* list = (byte*)a.A1;
        return On(proc, t, a.A0, (p, fd) => LibC.Result(t switch
        {
            Target.Path => LibC.Listxattr((byte*)p, list, (nuint)size),
            Target.Link => LibC.Llistxattr((byte*)p, list, (nuint)size),
            _ => LibC.Flistxattr(fd, list, (nuint)size),
        }));
    }

    private static long Remove(LinuxProcess proc, in SyscallArgs a, Target t)
    {
        long e = Name(proc, a.A1, out var name);
        if (e < 0) return e;
        fixed (byte* n = name)
        {
            byte* np = n;
            return On(proc, t, a.A0, (p, fd) => LibC.Result(t switch
            {
                Target.Path => LibC.Removexattr((byte*)p, np),
                Target.Link => LibC.Lremovexattr((byte*)p, np),
                _ => LibC.Fremovexattr(fd, np),
            }));
        }
    }

    [Syscall(188, "setxattr", "sspdx")] private static long Setxattr(LinuxProcess proc, in SyscallArgs a) => Set(proc, a, Target.Path);
    [Syscall(189, "lsetxattr", "sspdx")] private static long Lsetxattr(LinuxProcess proc, in SyscallArgs a) => Set(proc, a, Target.Link);
    [Syscall(190, "fsetxattr", "fspdx")] private static long Fsetxattr(LinuxProcess proc, in SyscallArgs a) => Set(proc, a, Target.Fd);
    [Syscall(191, "getxattr", "sspd")] private static long Getxattr(LinuxProcess proc, in SyscallArgs a) => Get(proc, a, Target.Path);
    [Syscall(192, "lgetxattr", "sspd")] private static long Lgetxattr(LinuxProcess proc, in SyscallArgs a) => Get(proc, a, Target.Link);
    [Syscall(193, "fgetxattr", "fspd")] private static long Fgetxattr(LinuxProcess proc, in SyscallArgs a) => Get(proc, a, Target.Fd);
    [Syscall(194, "listxattr", "spd")] private static long Listxattr(LinuxProcess proc, in SyscallArgs a) => List(proc, a, Target.Path);
    [Syscall(195, "llistxattr", "spd")] private static long Llistxattr(LinuxProcess proc, in SyscallArgs a) => List(proc, a, Target.Link);
    [Syscall(196, "flistxattr", "fpd")] private static long Flistxattr(LinuxProcess proc, in SyscallArgs a) => List(proc, a, Target.Fd);
    [Syscall(197, "removexattr", "ss")] private static long Removexattr(LinuxProcess proc, in SyscallArgs a) => Remove(proc, a, Target.Path);
    [Syscall(198, "lremovexattr", "ss")] private static long Lremovexattr(LinuxProcess proc, in SyscallArgs a) => Remove(proc, a, Target.Link);
    [Syscall(199, "fremovexattr", "fs")] private static long Fremovexattr(LinuxProcess proc, in SyscallArgs a) => Remove(proc, a, Target.Fd);

    [Syscall(137, "statfs", "sp")]
    private static long Statfs(LinuxProcess proc, in SyscallArgs a)
    {
        var path = Guest.Path(proc, a.A0, out long err, followLast: true);
        if (path == null) return err;
        if (!Guest.Check(proc, a.A1, StatfsSize, PageFlags.Write)) return -Errno.EFAULT;
        fixed (byte* p = Guest.Z(path)) return LibC.Result(LibC.Statfs(p, (void*)a.A1));
    }

    [Syscall(138, "fstatfs", "fp")]
    private static long Fstatfs(LinuxProcess proc, in SyscallArgs a)
    {
        int h = proc.Fds.Host((long)a.A0);
        if (h < 0) return -Errno.EBADF;
        if (!Guest.Check(proc, a.A1, StatfsSize, PageFlags.Write)) return -Errno.EFAULT;
        return LibC.Result(LibC.Fstatfs(h, (void*)a.A1));
    }
}
