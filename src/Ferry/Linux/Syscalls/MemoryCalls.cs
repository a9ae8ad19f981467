using Ferry.Host;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>mmap, munmap, mprotect, mremap, madvise, msync, brk: every guest mapping goes through <see cref="GuestMemory"/>.</summary>
internal static unsafe class MemoryCalls
{
    [Syscall(9, "mmap", "pdxxfd")]
    private static long Mmap(LinuxProcess proc, in SyscallArgs a)
    {
        int flags = a.Int(3);
        int hostFd = -1;
        if ((flags & GuestMemory.MapAnonymous) == 0)
        {
            hostFd = proc.Fds.Host(a.Int(4));
            if (hostFd < 0) return -Errno.EBADF;
        }
        int type = flags & 0xF;
        if (type != GuestMemory.MapShared && type != GuestMemory.MapPrivate && type != GuestMemory.MapSharedValidate) return -Errno.EINVAL;
        return proc.Memory.Map(a.A0, a.A1, a.Int(2), flags, hostFd, (long)a.A5);
    }

    [Syscall(11, "munmap", "pd")]
    private static long Munmap(LinuxProcess proc, in SyscallArgs a) => proc.Memory.Unmap(a.A0, a.A1);

    [Syscall(10, "mprotect", "pdx")]
    private static long Mprotect(LinuxProcess proc, in SyscallArgs a) => proc.Memory.Protect(a.A0, a.A1, a.Int(2) & 7);

    [Syscall(25, "mremap", "pddxp")]
    private static long Mremap(LinuxProcess proc, in SyscallArgs a) => proc.Memory.Remap(a.A0, a.A1, a.A2, a.Int(3), a.A4);

    [Syscall(28, "madvise", "pdd")]
    private static long Madvise(LinuxProcess proc, in SyscallArgs a)
    {
        if ((a.A0 & PageMap.PageMask) != 0) return -Errno.EINVAL;
        if (a.A1 == 0) return 0;
        if (!proc.Memory.Pages.All(a.A0, a.A1, PageFlags.Mapped)) return -Errno.ENOMEM;
        // MADV_DONTNEED and friends change what the guest reads back, so they reach the host.
        return LibC.Result(LibC.Madvise((void*)a.A0, (nuint)a.A1, a.Int(2)));
    }

    [Syscall(26, "msync", "pdx")]
    private static long Msync(LinuxProcess proc, in SyscallArgs a)
    {
        if ((a.A0 & PageMap.PageMask) != 0) return -Errno.EINVAL;
        if (!proc.Memory.Pages.All(a.A0, a.A1, PageFlags.Mapped)) return -Errno.ENOMEM;
        return LibC.Result(LibC.Msync((void*)a.A0, (nuint)a.A1, a.Int(2)));
    }

    [Syscall(27, "mincore", "pdp")]
    private static long Mincore(LinuxProcess proc, in SyscallArgs a)
    {
        if ((a.A0 & PageMap.PageMask) != 0) return -Errno.EINVAL;
        ulong pages = (a.A1 + PageMap.PageMask) >> PageMap.PageShift;
        if (!proc.Memory.Pages.All(a.A0, a.A1, PageFlags.Mapped)) return -Errno.ENOMEM;
        if (!Guest.Check(proc, a.A2, pages, PageFlags.Write)) return -Errno.EFAULT;
        return LibC.Result(LibC.Mincore((void*)a.A0, (nuint)a.A1, (byte*)a.A2));
    }

    [Syscall(12, "brk", "p")]
    private static long Brk(LinuxProcess proc, in SyscallArgs a)
    {
        ulong want = a.A0, cur = proc.Brk;
        if (want < proc.BrkStart) return (long)cur;
        ulong curTop = (cur + PageMap.PageMask) & ~PageMap.PageMask, newTop = (want + PageMap.PageMask) & ~PageMap.PageMask;
        if (newTop > curTop)
        {
            // The break never grows over another mapping: the kernel refuses, and so do we.
            long r = proc.Memory.Map(curTop, newTop - curTop, GuestMemory.ProtRead | GuestMemory.ProtWrite,
                GuestMemory.MapPrivate | GuestMemory.MapAnonymous | GuestMemory.MapFixedNoReplace, -1, 0);
            if (r < 0) return (long)cur;
        }
        else if (newTop < curTop) proc.Memory.Unmap(newTop, curTop - newTop);
        proc.Brk = want;
        return (long)want;
    }
}
