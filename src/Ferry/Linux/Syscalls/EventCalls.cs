using System.Runtime.InteropServices;
using Ferry.Host;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>Descriptors that report events: epoll, eventfd, timerfd, inotify, and memfd_create. The host
/// objects serve them. struct epoll_event is packed to 12 bytes on x86-64 but 16 bytes on ARM64 hosts,
/// so it is converted explicitly; the other structures (itimerspec, inotify_event) match.</summary>
internal static unsafe class EventCalls
{
    private const int EpollCtlAdd = 1, EpollCtlDel = 2, EpollCtlMod = 3;
    private const int GuestEventSize = EpollEventLayout.GuestSize;
    private static readonly int HostEventSize = EpollEventLayout.Host.Size;

    [Syscall(213, "epoll_create", "d")]
    private static long EpollCreate(LinuxProcess proc, in SyscallArgs a) =>
        a.Int(0) <= 0 ? -Errno.EINVAL : NewDescriptors.One(proc, LibC.EpollCreate1(0));

    [Syscall(291, "epoll_create1", "x")]
    private static long EpollCreate1(LinuxProcess proc, in SyscallArgs a) => NewDescriptors.One(proc, LibC.EpollCreate1(a.Int(0)));

    [Syscall(233, "epoll_ctl", "fdfp")]
    private static long EpollCtl(LinuxProcess proc, in SyscallArgs a)
    {
        int ep = proc.Fds.Host((long)a.A0), fd = proc.Fds.Host((long)a.A2);
        if (ep < 0 || fd < 0) return -Errno.EBADF;
        int op = a.Int(1);
        if (op is not (EpollCtlAdd or EpollCtlMod or EpollCtlDel)) return -Errno.EINVAL;
        byte* ev = stackalloc byte[16];
        if (op != EpollCtlDel)
        {
            if (!Guest.Check(proc, a.A3, GuestEventSize, PageFlags.Read)) return -Errno.EFAULT;
            EpollEventLayout.Host.ToHost(proc.Memory.Read32(a.A3), proc.Memory.Read64(a.A3 + 4), new Span<byte>(ev, 16));
        }
        return LibC.Result(LibC.EpollCtl(ep, op, fd, ev));
    }

    /// <summary>epoll_wait and its kin: until <paramref name="timeoutNs"/> (negative: no limit) has passed, with
    /// <paramref name="mask"/> in force if not null (see <see cref="MaskedWait"/>).</summary>
    private static long Wait(LinuxProcess proc, ulong epfd, ulong events, int max, long timeoutNs, ulong? mask)
    {
        int ep = proc.Fds.Host((long)epfd);
        if (ep < 0) return -Errno.EBADF;
        if (max <= 0 || max > int.MaxValue / 16) return -Errno.EINVAL;
        if (!Guest.Check(proc, events, (ulong)max * GuestEventSize, PageFlags.Write)) return -Errno.EFAULT;
        int room = Math.Min(max, 4096);
        var host = new byte[room * HostEventSize];
        fixed (byte* h = host)
        {
            nint hp = (nint)h;
            // A zero timeout only looks: Linux's ep_poll returns 0 then even with a signal pending.
            long n = MaskedWait.Run(proc, mask, MaskedWait.Deadline(timeoutNs), timeoutNs == 0, ns =>
            {
                int ms = ns < 0 ? -1 : (int)Math.Min(int.MaxValue, (ns + 999_999) / 1_000_000);
                int r = LibC.EpollWait(ep, (void*)hp, room, ms);
                return r < 0 ? -LibC.Errno : r;
            });
            if (n < 0) return n;
            for (int k = 0; k < n; k++)
            {
                var (e, data) = EpollEventLayout.Host.FromHost(new ReadOnlySpan<byte>(h + k * HostEventSize, HostEventSize));
                proc.Memory.Write32(events + (ulong)(k * GuestEventSize), e);
                proc.Memory.Write64(events + (ulong)(k * GuestEventSize) + 4, data);
            }
            return n;
        }
    }

    private static long Milliseconds(int timeout) => timeout < 0 ? -1 : timeout * 1_000_000L;

    [Syscall(232, "epoll_wait", "fpdd")]
    private static long EpollWait(LinuxProcess proc, in SyscallArgs a) => Wait(proc, a.A0, a.A1, a.Int(2), Milliseconds(a.Int(3)), null);

    // The mask is looked at before anything else, as Linux does (EINVAL for its size even with a bad descriptor).
    [Syscall(281, "epoll_pwait", "fpddpd")]
    private static long EpollPwait(LinuxProcess proc, in SyscallArgs a)
    {
        long err = MaskedWait.ReadMask(proc, a.A4, a.A5, out var mask);
        return err != 0 ? err : Wait(proc, a.A0, a.A1, a.Int(2), Milliseconds(a.Int(3)), mask);
    }

    [Syscall(441, "epoll_pwait2", "fpdppd")]
    private static long EpollPwait2(LinuxProcess proc, in SyscallArgs a)
    {
        long timeout = -1;
        if (a.A3 != 0)
        {
            if (!Guest.Check(proc, a.A3, 16, PageFlags.Read)) return -Errno.EFAULT;
            long s = (long)proc.Memory.Read64(a.A3), ns = (long)proc.Memory.Read64(a.A3 + 8);
            if (s < 0 || ns < 0 || ns >= 1_000_000_000) return -Errno.EINVAL;
            timeout = s > long.MaxValue / 1_000_000_000 - 1 ? long.MaxValue : s * 1_000_000_000 + ns;
        }
        long err = MaskedWait.ReadMask(proc, a.A4, a.A5, out var mask);
        return err != 0 ? err : Wait(proc, a.A0, a.A1, a.Int(2), timeout, mask);
    }

    [Syscall(284, "eventfd", "d")]
    private static long Eventfd(LinuxProcess proc, in SyscallArgs a) => NewDescriptors.One(proc, LibC.Eventfd((uint)a.A0, 0));

    [Syscall(290, "eventfd2", "dx")]
    private static long Eventfd2(LinuxProcess proc, in SyscallArgs a) => NewDescriptors.One(proc, LibC.Eventfd((uint)a.A0, OpenFlags.ToHost(a.Int(1))));

    [Syscall(283, "timerfd_create", "dx")]
    private static long TimerfdCreate(LinuxProcess proc, in SyscallArgs a) => NewDescriptors.One(proc, LibC.TimerfdCreate(a.Int(0), OpenFlags.ToHost(a.Int(1))));

    [Syscall(286, "timerfd_settime", "fxpp")]
    private static long TimerfdSettime(LinuxProcess proc, in SyscallArgs a)
    {
        int fd = proc.Fds.Host((long)a.A0);
        if (fd < 0) return -Errno.EBADF;
        if (!Guest.Check(proc, a.A2, 32, PageFlags.Read)) return -Errno.EFAULT;
        if (a.A3 != 0 && !Guest.Check(proc, a.A3, 32, PageFlags.Write)) return -Errno.EFAULT;
        return LibC.Result(LibC.TimerfdSettime(fd, a.Int(1), (void*)a.A2, a.A3 == 0 ? null : (void*)a.A3));
    }

    [Syscall(287, "timerfd_gettime", "fp")]
    private static long TimerfdGettime(LinuxProcess proc, in SyscallArgs a)
    {
        int fd = proc.Fds.Host((long)a.A0);
        if (fd < 0) return -Errno.EBADF;
        if (!Guest.Check(proc, a.A1, 32, PageFlags.Write)) return -Errno.EFAULT;
        return LibC.Result(LibC.TimerfdGettime(fd, (void*)a.A1));
    }

    [Syscall(253, "inotify_init", "")]
    private static long InotifyInit(LinuxProcess proc, in SyscallArgs a) => NewDescriptors.One(proc, LibC.InotifyInit1(0));

    [Syscall(294, "inotify_init1", "x")]
    private static long InotifyInit1(LinuxProcess proc, in SyscallArgs a) => NewDescriptors.One(proc, LibC.InotifyInit1(OpenFlags.ToHost(a.Int(0))));

    [Syscall(254, "inotify_add_watch", "fsx")]
    private static long InotifyAddWatch(LinuxProcess proc, in SyscallArgs a)
    {
        int fd = proc.Fds.Host((long)a.A0);
        if (fd < 0) return -Errno.EBADF;
        var path = Guest.Path(proc, a.A1, out long err, followLast: (a.A2 & 0x01000000 /* IN_DONT_FOLLOW */) == 0);
        if (path == null) return err;
        fixed (byte* p = Guest.Z(path)) return LibC.Result(LibC.InotifyAddWatch(fd, p, (uint)a.A2));
    }

    [Syscall(255, "inotify_rm_watch", "fd")]
    private static long InotifyRmWatch(LinuxProcess proc, in SyscallArgs a)
    {
        int fd = proc.Fds.Host((long)a.A0);
        return fd < 0 ? -Errno.EBADF : LibC.Result(LibC.InotifyRmWatch(fd, a.Int(1)));
    }

    [Syscall(319, "memfd_create", "sx")]
    private static long MemfdCreate(LinuxProcess proc, in SyscallArgs a)
    {
        var name = Guest.RawPath(proc, a.A0, out long err);
        if (name == null) return err;
        fixed (byte* p = Guest.Z(name)) return NewDescriptors.One(proc, LibC.MemfdCreate(p, (uint)a.A1));
    }
}
