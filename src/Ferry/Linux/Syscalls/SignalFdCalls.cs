using Ferry.Host;
using Ferry.Linux.Signals;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>signalfd and signalfd4, and reads of a signalfd: they take signals from the guest's pending
/// queues (the calling thread's first, then the process's), as the kernel's signalfd_dequeue does.</summary>
internal static class SignalFdCalls
{
    private const int SfdNonblock = 0x800, SfdCloexec = OpenFlags.CloExec;
    private const ulong Unblockable = (1UL << (GuestSignal.SIGKILL - 1)) | (1UL << (GuestSignal.SIGSTOP - 1));
    private const int InfoSize = 128;

    [Syscall(282, "signalfd", "fpd")]
    private static long Signalfd(LinuxProcess proc, in SyscallArgs a) => Create(proc, a.Int(0), a.A1, a.A2, 0);

    [Syscall(289, "signalfd4", "fpdx")]
    private static long Signalfd4(LinuxProcess proc, in SyscallArgs a) => Create(proc, a.Int(0), a.A1, a.A2, a.Int(3));

    private static long Create(LinuxProcess proc, int fd, ulong maskAddr, ulong size, int flags)
    {
        if ((flags & ~(SfdNonblock | SfdCloexec)) != 0 || size != 8) return -Errno.EINVAL;
        if (!Guest.Check(proc, maskAddr, 8, PageFlags.Read)) return -Errno.EFAULT;
        ulong mask = proc.Memory.Read64(maskAddr) & ~Unblockable;
        if (fd != -1)
        {
            int host = proc.Fds.Host(fd);
            if (host < 0) return -Errno.EBADF;
            if (SignalFd.Find(host) is not { } existing || existing.Owner != proc) return -Errno.EINVAL;
            existing.Mask = mask;
            SignalFd.Changed(proc, proc.AnyPending());
            return fd;
        }
        long g = NewDescriptors.One(proc, SignalFd.Create(proc, mask, OpenFlags.ToHost(flags)));
        if (g >= 0) SignalFd.Changed(proc, proc.AnyPending());
        return g;
    }

    /// <summary>read(2) on a signalfd: as many whole signalfd_siginfo records as fit, waiting for the first
    /// unless the descriptor is non-blocking.</summary>
    public static long Read(LinuxProcess proc, SignalFd sfd, int hostFd, ulong buf, ulong count)
    {
        if (count < InfoSize) return -Errno.EINVAL;
        ulong max = count / InfoSize;
        if (!Guest.Check(proc, buf, max * InfoSize, PageFlags.Write)) return -Errno.EFAULT;
        proc.ExpireDueTimers();
        var t = proc.CurrentThread;
        ulong n = 0;
        while (n < max)
        {
            var info = proc.Dequeue(t, sfd.Mask);
            if (info != null)
            {
                proc.Memory.WriteBytes(buf + n * InfoSize, SignalFd.Encode(info.Value));
                n++;
                continue;
            }
            if (n > 0) break;
            if ((LibC.Fcntl(hostFd, 3 /* F_GETFL */, 0) & SfdNonblock) != 0) return -Errno.EAGAIN;
            // Another signal to handle, an exit, a fork elsewhere: EINTR, restarted when no handler runs.
            if (proc.HasWork(t)) return -Errno.EINTR;
            proc.WaitUntil(t, () => (proc.PendingSignals & sfd.Mask) != 0 || proc.HasWork(t), long.MaxValue);
        }
        return (long)(n * InfoSize);
    }
}
