using Ferry.Host;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>Reading and writing descriptors, and managing them: read/write family, close, lseek, dup, pipe, fcntl, ioctl.</summary>
internal static unsafe class FileIo
{
    private static long Fd(LinuxProcess proc, ulong guestFd, out int host)
    {
        host = proc.Fds.Host((long)guestFd);
        return host < 0 ? -Errno.EBADF : 0;
    }

    [Syscall(0, "read", "fpd")]
    private static long Read(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        if (Signals.SignalFd.Find(fd) is { } sfd) return SignalFdCalls.Read(proc, sfd, fd, a.A1, a.A2);
        ulong n = Guest.Prefix(proc, a.A1, a.A2, PageFlags.Write);
        if (n == 0 && a.A2 != 0) return -Errno.EFAULT;
        return LibC.Result(LibC.Read(fd, (void*)a.A1, (nuint)n));
    }

    [Syscall(1, "write", "fsd")]
    private static long Write(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        if (Proc.CommFile.Find(fd) is { } named) return Proc.CommFile.Write(proc, named, a.A1, a.A2);
        ulong n = Guest.Prefix(proc, a.A1, a.A2, PageFlags.Read);
        if (n == 0 && a.A2 != 0) return -Errno.EFAULT;
        return Written(proc, fd, LibC.Result(LibC.Write(fd, (void*)a.A1, (nuint)n)));
    }

    [Syscall(17, "pread64", "fpdd")]
    private static long Pread(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        ulong n = Guest.Prefix(proc, a.A1, a.A2, PageFlags.Write);
        if (n == 0 && a.A2 != 0) return -Errno.EFAULT;
        return LibC.Result(LibC.Pread(fd, (void*)a.A1, (nuint)n, (long)a.A3));
    }

    [Syscall(18, "pwrite64", "fpdd")]
    private static long Pwrite(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        ulong n = Guest.Prefix(proc, a.A1, a.A2, PageFlags.Read);
        if (n == 0 && a.A2 != 0) return -Errno.EFAULT;
        return Written(proc, fd, LibC.Result(LibC.Pwrite(fd, (void*)a.A1, (nuint)n, (long)a.A3)));
    }

    // struct iovec is two 64-bit words on every 64-bit host, so a checked guest array passes straight through.
    private static long CheckIov(LinuxProcess proc, ulong iov, ulong count, PageFlags need)
    {
        if (count > 1024) return -Errno.EINVAL;
        if (!Guest.Check(proc, iov, count * 16, PageFlags.Read)) return -Errno.EFAULT;
        for (ulong n = 0; n < count; n++)
        {
            ulong b = proc.Memory.Read64(iov + n * 16), l = proc.Memory.Read64(iov + n * 16 + 8);
            if ((long)l < 0) return -Errno.EINVAL;
            if (!Guest.Check(proc, b, l, need)) return -Errno.EFAULT;
        }
        return 0;
    }

    // A write may extend a mapped file, turning SIGBUS pages back into ordinary ones.
    private static long Written(LinuxProcess proc, int fd, long r)
    {
        if (r > 0 && proc.Memory.HasFileMappings) proc.Memory.FileSizeChanged(fd);
        return r;
    }

    [Syscall(19, "readv", "fpd")]
    private static long Readv(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        long e = CheckIov(proc, a.A1, a.A2, PageFlags.Write);
        return e < 0 ? e : LibC.Result(LibC.Readv(fd, (void*)a.A1, (int)a.A2));
    }

    [Syscall(20, "writev", "fpd")]
    private static long Writev(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        long e = CheckIov(proc, a.A1, a.A2, PageFlags.Read);
        return e < 0 ? e : Written(proc, fd, LibC.Result(LibC.Writev(fd, (void*)a.A1, (int)a.A2)));
    }

    [Syscall(295, "preadv", "fpdd")]
    private static long Preadv(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        long e = CheckIov(proc, a.A1, a.A2, PageFlags.Write);
        return e < 0 ? e : LibC.Result(LibC.Preadv(fd, (void*)a.A1, (int)a.A2, (long)a.A3));
    }

    [Syscall(296, "pwritev", "fpdd")]
    private static long Pwritev(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        long e = CheckIov(proc, a.A1, a.A2, PageFlags.Read);
        return e < 0 ? e : Written(proc, fd, LibC.Result(LibC.Pwritev(fd, (void*)a.A1, (int)a.A2, (long)a.A3)));
    }

    [Syscall(3, "close", "f")]
    private static long Close(LinuxProcess proc, in SyscallArgs a)
    {
        int host = proc.Fds.Remove((long)a.A0);
        if (host < 0) return -Errno.EBADF;
        Proc.ListedDirectory.Closed(host);
        Signals.SignalFd.Closed(host);
        Proc.CommFile.Closed(host);
        // Linux closes the descriptor even when close reports an error; EINTR is not retried.
        return LibC.Result(LibC.Close(host));
    }

    [Syscall(8, "lseek", "fdd")]
    private static long Lseek(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        if (Proc.ListedDirectory.Is(fd)) return Proc.ListedDirectory.Seek(fd, (long)a.A1, a.Int(2));
        return LibC.Result(LibC.Lseek(fd, (long)a.A1, a.Int(2)));
    }

    [Syscall(32, "dup", "f")]
    private static long Dup(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        int h = LibC.Dup(fd);
        if (h < 0) return -LibC.Errno;
        Signals.SignalFd.Duplicated(fd, h);
        int g = proc.Fds.Add(h);
        if (g < 0) LibC.Close(h);
        return g;
    }

    private static long DupTo(LinuxProcess proc, int oldGuest, int newGuest, int flags)
    {
        if (Fd(proc, (ulong)oldGuest, out int fd) < 0) return -Errno.EBADF;
        if (newGuest < 0 || newGuest >= proc.Fds.Limit) return -Errno.EBADF;
        int h = LibC.Fcntl(fd, (flags & OpenFlags.CloExec) != 0 ? 1030 : 0, 0); // F_DUPFD(_CLOEXEC)
        if (h < 0) return -LibC.Errno;
        int old = proc.Fds.Set(newGuest, h);
        if (old >= 0) { Proc.ListedDirectory.Closed(old); Signals.SignalFd.Closed(old); Proc.CommFile.Closed(old); LibC.Close(old); }
        Signals.SignalFd.Duplicated(fd, h);
        return newGuest;
    }

    [Syscall(33, "dup2", "ff")]
    private static long Dup2(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.Int(0) == a.Int(1)) return proc.Fds.Host(a.Int(0)) < 0 ? -Errno.EBADF : a.Int(1);
        return DupTo(proc, a.Int(0), a.Int(1), 0);
    }

    [Syscall(292, "dup3", "ffx")]
    private static long Dup3(LinuxProcess proc, in SyscallArgs a)
    {
        if (a.Int(0) == a.Int(1)) return -Errno.EINVAL;
        if ((a.Int(2) & ~OpenFlags.CloExec) != 0) return -Errno.EINVAL;
        return DupTo(proc, a.Int(0), a.Int(1), a.Int(2));
    }

    private static long Pipe(LinuxProcess proc, ulong addr, int flags)
    {
        if (!Guest.Check(proc, addr, 8, PageFlags.Write)) return -Errno.EFAULT;
        int* fds = stackalloc int[2];
        if (LibC.Pipe2(fds, OpenFlags.ToHost(flags)) != 0) return -LibC.Errno;
        return NewDescriptors.Pair(proc, fds, addr);
    }

    [Syscall(22, "pipe", "p")]
    private static long Pipe(LinuxProcess proc, in SyscallArgs a) => Pipe(proc, a.A0, 0);

    [Syscall(293, "pipe2", "px")]
    private static long Pipe2(LinuxProcess proc, in SyscallArgs a) => Pipe(proc, a.A0, a.Int(1));

    private const int FDupfd = 0, FGetfl = 3, FSetfl = 4, FGetlk = 5, FSetlk = 6, FSetlkw = 7, FDupfdCloexec = 1030;

    [Syscall(72, "fcntl", "fdx")]
    private static long Fcntl(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        int cmd = a.Int(1);
        switch (cmd)
        {
            case FDupfd:
            case FDupfdCloexec:
            {
                long min = (long)a.A2;
                if (min < 0 || min >= proc.Fds.Limit) return -Errno.EINVAL;
                int h = LibC.Fcntl(fd, cmd, 0);
                if (h < 0) return -LibC.Errno;
                Signals.SignalFd.Duplicated(fd, h);
                int g = proc.Fds.Add(h, (int)min);
                if (g < 0) LibC.Close(h);
                return g;
            }
            case 1: case 2: // F_GETFD, F_SETFD
            case 8: case 9: // F_SETOWN, F_GETOWN
            case 1024: case 1025: case 1026: // F_SETLEASE, F_GETLEASE, F_NOTIFY
            case 1031: case 1032: // F_SETPIPE_SZ, F_GETPIPE_SZ
            case 1033: case 1034: // F_ADD_SEALS, F_GET_SEALS
                return LibC.Result(LibC.Fcntl(fd, cmd, (long)a.A2));
            case FGetfl:
            {
                int r = LibC.Fcntl(fd, cmd, 0);
                return r < 0 ? -LibC.Errno : OpenFlags.ToGuest(r);
            }
            case FSetfl:
                return LibC.Result(LibC.Fcntl(fd, cmd, OpenFlags.ToHost(a.Int(2))));
            case FGetlk: case FSetlk: case FSetlkw:
            case 36: case 37: case 38: // F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW
                // struct flock has the same 32-byte layout on every 64-bit Linux.
                if (!Guest.Check(proc, a.A2, 32, cmd == FGetlk || cmd == 36 ? PageFlags.Write : PageFlags.Read)) return -Errno.EFAULT;
                return LibC.Result(LibC.Fcntl(fd, cmd, (long)a.A2));
            default:
                return -Errno.EINVAL;
        }
    }

    // Terminal and descriptor ioctls whose argument layouts are the same on every Linux host Ferry
    // supports, with the size the kernel reads or writes (0: the argument is a plain value). A switch, not a
    // Dictionary<uint, (int, bool)>: that generic code has no ReadyToRun form and was JIT-compiled (ten
    // methods) at the first write of every run, when this class was first used.
    private static bool KnownIoctl(uint req, out int size, out bool writes)
    {
        size = 0;
        writes = false;
        switch (req)
        {
            case 0x5401: size = 36; writes = true; return true; // TCGETS
            case 0x5402: size = 36; writes = false; return true; // TCSETS
            case 0x5403: size = 36; writes = false; return true; // TCSETSW
            case 0x5404: size = 36; writes = false; return true; // TCSETSF
            case 0x5409: size = 0; writes = false; return true; // TCSBRK
            case 0x540A: size = 0; writes = false; return true; // TCXONC
            case 0x540B: size = 0; writes = false; return true; // TCFLSH
            case 0x540E: size = 0; writes = false; return true; // TIOCSCTTY
            case 0x540F: size = 4; writes = true; return true; // TIOCGPGRP
            case 0x5410: size = 4; writes = false; return true; // TIOCSPGRP
            case 0x5411: size = 4; writes = true; return true; // TIOCOUTQ
            case 0x5413: size = 8; writes = true; return true; // TIOCGWINSZ
            case 0x5414: size = 8; writes = false; return true; // TIOCSWINSZ
            case 0x541B: size = 4; writes = true; return true; // FIONREAD
            case 0x5421: size = 4; writes = false; return true; // FIONBIO
            case 0x5422: size = 0; writes = false; return true; // TIOCNOTTY
            case 0x5429: size = 4; writes = true; return true; // TIOCGSID
            case 0x5450: size = 0; writes = false; return true; // FIONCLEX
            case 0x5451: size = 0; writes = false; return true; // FIOCLEX
            case 0x5452: size = 4; writes = false; return true; // FIOASYNC
            case 0x80045430: size = 4; writes = true; return true; // TIOCGPTN
            case 0x40045431: size = 4; writes = false; return true; // TIOCSPTLCK
            default: return false;
        }
    }

    // Reflink copies (cp --reflink): FICLONE takes a descriptor, FICLONERANGE a struct file_clone_range
    // whose first field is one.
    private const uint Ficlone = 0x40049409, Ficlonerange = 0x4020940d;

    [Syscall(16, "ioctl", "fxp")]
    private static long Ioctl(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        uint req = (uint)a.A1;
        if (req == Ficlone)
        {
            // The argument is the source descriptor, which is a guest number.
            int src = proc.Fds.Host((long)a.A2);
            return src < 0 ? -Errno.EBADF : LibC.Result(LibC.Ioctl(fd, req, (void*)src));
        }
        if (req == Ficlonerange)
        {
            if (!Guest.Check(proc, a.A2, 32, PageFlags.Read)) return -Errno.EFAULT;
            long* range = stackalloc long[4];
            for (int k = 0; k < 4; k++) range[k] = (long)proc.Memory.Read64(a.A2 + (ulong)k * 8);
            int src = proc.Fds.Host(range[0]);
            if (src < 0) return -Errno.EBADF;
            range[0] = src;
            return LibC.Result(LibC.Ioctl(fd, req, range));
        }
        if (!KnownIoctl(req, out int size, out bool writes))
        {
            proc.Strace?.WriteLine($"[ferry] ioctl 0x{req:x} is not supported; returning ENOTTY");
            return -Errno.ENOTTY;
        }
        if (size > 0 && !Guest.Check(proc, a.A2, (ulong)size, writes ? PageFlags.Write : PageFlags.Read))
            return -Errno.EFAULT;
        return LibC.Result(LibC.Ioctl(fd, req, (void*)a.A2));
    }

    [Syscall(74, "fsync", "f")]
    private static long Fsync(LinuxProcess proc, in SyscallArgs a) =>
        Fd(proc, a.A0, out int fd) < 0 ? -Errno.EBADF : LibC.Result(LibC.Fsync(fd));

    [Syscall(75, "fdatasync", "f")]
    private static long Fdatasync(LinuxProcess proc, in SyscallArgs a) =>
        Fd(proc, a.A0, out int fd) < 0 ? -Errno.EBADF : LibC.Result(LibC.Fdatasync(fd));

    [Syscall(77, "ftruncate", "fd")]
    private static long Ftruncate(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        long r = LibC.Result(LibC.Ftruncate(fd, (long)a.A1));
        if (r == 0) proc.Memory.FileSizeChanged(fd);
        return r;
    }
}
