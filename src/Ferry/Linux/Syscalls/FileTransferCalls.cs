using Ferry.Host;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>Kernel-side copies between descriptors (sendfile, copy_file_range, splice, tee) and the
/// calls that manage a file's space and locks (fallocate, fadvise64, flock). Offsets are guest loff_t
/// pointers, read before and written back after the host call.</summary>
internal static unsafe class FileTransferCalls
{
    private static bool Fds(LinuxProcess proc, ulong a, ulong b, out int ha, out int hb)
    {
        ha = proc.Fds.Host((long)a); hb = proc.Fds.Host((long)b);
        return ha >= 0 && hb >= 0;
    }

    /// <summary>Loads an optional loff_t* into <paramref name="value"/>; false when it is not guest read/write memory.</summary>
    private static bool Offset(LinuxProcess proc, ulong addr, out long value)
    {
        value = 0;
        if (addr == 0) return true;
        if (!Guest.Check(proc, addr, 8, PageFlags.Read | PageFlags.Write)) return false;
        value = (long)proc.Memory.Read64(addr);
        return true;
    }

    [Syscall(40, "sendfile", "ffpd")]
    private static long Sendfile(LinuxProcess proc, in SyscallArgs a)
    {
        if (!Fds(proc, a.A0, a.A1, out int outFd, out int inFd)) return -Errno.EBADF;
        if (!Offset(proc, a.A2, out long off)) return -Errno.EFAULT;
        nint r = LibC.Sendfile(outFd, inFd, a.A2 == 0 ? null : &off, (nuint)a.A3);
        if (r < 0) return -LibC.Errno;
        if (a.A2 != 0) proc.Memory.Write64(a.A2, (ulong)off);
        return r;
    }

    private delegate nint TwoOffsetCopy(int inFd, long* inOff, int outFd, long* outOff, nuint len, uint flags);

    /// <summary>copy_file_range and splice: (in fd, in offset*, out fd, out offset*, length, flags).</summary>
    private static long CopyWithOffsets(LinuxProcess proc, in SyscallArgs a, TwoOffsetCopy copy)
    {
        if (!Fds(proc, a.A0, a.A2, out int inFd, out int outFd)) return -Errno.EBADF;
        if (!Offset(proc, a.A1, out long inOff) || !Offset(proc, a.A3, out long outOff)) return -Errno.EFAULT;
        nint r = copy(inFd, a.A1 == 0 ? null : &inOff, outFd, a.A3 == 0 ? null : &outOff, (nuint)a.A4, (uint)a.A5);
        if (r < 0) return -LibC.Errno;
        if (a.A1 != 0) proc.Memory.Write64(a.A1, (ulong)inOff);
        if (a.A3 != 0) proc.Memory.Write64(a.A3, (ulong)outOff);
        return r;
    }

    [Syscall(326, "copy_file_range", "fpfpdx")]
    private static long CopyFileRange(LinuxProcess proc, in SyscallArgs a) => CopyWithOffsets(proc, a, LibC.CopyFileRange);

    [Syscall(275, "splice", "fpfpdx")]
    private static long Splice(LinuxProcess proc, in SyscallArgs a) => CopyWithOffsets(proc, a, LibC.Splice);

    [Syscall(276, "tee", "ffdx")]
    private static long Tee(LinuxProcess proc, in SyscallArgs a) =>
        !Fds(proc, a.A0, a.A1, out int inFd, out int outFd) ? -Errno.EBADF : LibC.Result(LibC.Tee(inFd, outFd, (nuint)a.A2, (uint)a.A3));

    [Syscall(285, "fallocate", "fddd")]
    private static long Fallocate(LinuxProcess proc, in SyscallArgs a)
    {
        int fd = proc.Fds.Host((long)a.A0);
        return fd < 0 ? -Errno.EBADF : LibC.Result(LibC.Fallocate(fd, a.Int(1), (long)a.A2, (long)a.A3));
    }

    [Syscall(221, "fadvise64", "fddd")]
    private static long Fadvise(LinuxProcess proc, in SyscallArgs a)
    {
        int fd = proc.Fds.Host((long)a.A0);
        // posix_fadvise returns the error number instead of setting errno.
        return fd < 0 ? -Errno.EBADF : -LibC.PosixFadvise(fd, (long)a.A1, (long)a.A2, a.Int(3));
    }

    [Syscall(73, "flock", "fd")]
    private static long Flock(LinuxProcess proc, in SyscallArgs a)
    {
        int fd = proc.Fds.Host((long)a.A0);
        return fd < 0 ? -Errno.EBADF : LibC.Result(LibC.Flock(fd, a.Int(1)));
    }
}
