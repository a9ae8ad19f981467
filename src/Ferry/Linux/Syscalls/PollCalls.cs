using System.Buffers.Binary;
using Ferry.Host;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>poll, ppoll, select and pselect6. Guest descriptors are translated to host ones; select is
/// served by poll so host descriptor numbers above FD_SETSIZE never matter.</summary>
internal static unsafe class PollCalls
{
    private const short PollIn = 1, PollPri = 2, PollOut = 4, PollErr = 8, PollHup = 0x10, PollNval = 0x20;

    /// <summary>Polls guest pollfd entries (8 bytes each: fd, events, revents) until <paramref name="deadline"/>, with
    /// <paramref name="mask"/> in force if not null (see <see cref="MaskedWait"/>). Returns the count or -errno.</summary>
    private static long PollGuest(LinuxProcess proc, ulong fdsAddr, ulong nfds, long deadline, ulong? mask)
    {
        if (nfds > (ulong)proc.Fds.Limit) return -Errno.EINVAL;
        if (!Guest.Check(proc, fdsAddr, nfds * 8, PageFlags.Read | PageFlags.Write)) return -Errno.EFAULT;
        var host = new long[Math.Max(1, (int)nfds)];
        bool anyInvalid = false;
        fixed (long* h = host)
        {
            var hp = (byte*)h;
            for (ulong n = 0; n < nfds; n++)
            {
                int gfd = (int)proc.Memory.Read32(fdsAddr + n * 8);
                short events = (short)proc.Memory.Read16(fdsAddr + n * 8 + 4);
                int hfd = gfd < 0 ? -1 : proc.Fds.Host(gfd);
                if (gfd >= 0 && hfd < 0) anyInvalid = true;
                *(int*)(hp + n * 8) = hfd;
                *(short*)(hp + n * 8 + 4) = events;
                *(short*)(hp + n * 8 + 6) = 0;
            }
            long r;
            nint fds = (nint)hp;
            // POLLNVAL entries make the call return at once: ready descriptors win over signals.
            if (anyInvalid) r = HostPoll(fds, nfds, 0);
            else r = MaskedWait.Run(proc, mask, deadline, false, ns => HostPoll(fds, nfds, ns));
            if (r < 0) return r;
            int count = 0;
            for (ulong n = 0; n < nfds; n++)
            {
                int gfd = (int)proc.Memory.Read32(fdsAddr + n * 8);
                short rev = *(short*)(hp + n * 8 + 6);
                if (gfd >= 0 && proc.Fds.Host(gfd) < 0) rev = PollNval;
                proc.Memory.Write16(fdsAddr + n * 8 + 6, (ushort)rev);
                if (rev != 0) count++;
            }
            return count;
        }
    }

    /// <summary>One host poll of at most <paramref name="timeoutNs"/> (negative: no limit). Returns the count or -errno.</summary>
    private static long HostPoll(nint fds, ulong nfds, long timeoutNs)
    {
        long* ts = stackalloc long[2];
        ts[0] = timeoutNs / 1_000_000_000;
        ts[1] = timeoutNs % 1_000_000_000;
        int r = LibC.Ppoll((void*)fds, nfds, timeoutNs < 0 ? null : ts, null);
        return r < 0 ? -LibC.Errno : r;
    }

    [Syscall(7, "poll", "pdd")]
    private static long Poll(LinuxProcess proc, in SyscallArgs a) =>
        PollGuest(proc, a.A0, a.A1, MaskedWait.Deadline(a.Int(2) < 0 ? -1 : a.Int(2) * 1_000_000L), null);

    [Syscall(271, "ppoll", "pdppd")]
    private static long Ppoll(LinuxProcess proc, in SyscallArgs a)
    {
        long ns = -1;
        if (a.A2 != 0)
        {
            if (!Guest.Check(proc, a.A2, 16, PageFlags.Read)) return -Errno.EFAULT;
            long sec = (long)proc.Memory.Read64(a.A2), nsec = (long)proc.Memory.Read64(a.A2 + 8);
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000) return -Errno.EINVAL;
            ns = sec > long.MaxValue / 1_000_000_000 - 1 ? long.MaxValue : sec * 1_000_000_000 + nsec;
        }
        long deadline = MaskedWait.Deadline(ns);
        long err = MaskedWait.ReadMask(proc, a.A3, a.A4, out var mask);
        if (err != 0) return err;
        long r = PollGuest(proc, a.A0, a.A1, deadline, mask);
        if (ns != 0) MaskedWait.WriteTimeLeft(proc, a.A2, deadline, timeval: false);
        return r;
    }

    /// <summary>select over guest fd_sets (bit n of the array is guest fd n), through poll, until
    /// <paramref name="deadline"/>, with <paramref name="mask"/> in force if not null.</summary>
    private static long Select(LinuxProcess proc, int nfds, ulong rd, ulong wr, ulong ex, long deadline, ulong? mask)
    {
        if (nfds < 0) return -Errno.EINVAL;
        // Linux looks no further than its descriptor table reaches (and select(FD_SETSIZE) works under a lower limit).
        nfds = Math.Min(nfds, Math.Max(proc.Fds.Limit, proc.Fds.End));
        int bytes = (nfds + 63) / 64 * 8;
        byte[]? R = Load(proc, rd, bytes), W = Load(proc, wr, bytes), E = Load(proc, ex, bytes);
        if ((rd != 0 && R == null) || (wr != 0 && W == null) || (ex != 0 && E == null)) return -Errno.EFAULT;
        static bool Bit(byte[]? s, int fd) => s != null && (s[fd >> 3] & (1 << (fd & 7))) != 0;
        var fds = new List<(int Guest, int Host, short Events)>();
        for (int fd = 0; fd < nfds; fd++)
        {
            short ev = 0;
            if (Bit(R, fd)) ev |= PollIn;
            if (Bit(W, fd)) ev |= PollOut;
            if (Bit(E, fd)) ev |= PollPri;
            if (ev == 0) continue;
            int h = proc.Fds.Host(fd);
            if (h < 0) return -Errno.EBADF;
            fds.Add((fd, h, ev));
        }
        var pfd = new long[Math.Max(1, fds.Count)];
        fixed (long* p = pfd)
        {
            for (int n = 0; n < fds.Count; n++) { *(int*)((byte*)p + n * 8) = fds[n].Host; *(short*)((byte*)p + n * 8 + 4) = fds[n].Events; }
            nint pn = (nint)p;
            ulong count = (ulong)fds.Count;
            long r = MaskedWait.Run(proc, mask, deadline, false, ns => HostPoll(pn, count, ns));
            if (r < 0) return r;
            var oR = R == null ? null : new byte[bytes];
            var oW = W == null ? null : new byte[bytes];
            var oE = E == null ? null : new byte[bytes];
            int ready = 0;
            for (int n = 0; n < fds.Count; n++)
            {
                short rev = *(short*)((byte*)p + n * 8 + 6);
                int g = fds[n].Guest;
                short ev = fds[n].Events;
                if ((ev & PollIn) != 0 && (rev & (PollIn | PollHup | PollErr)) != 0) { oR![g >> 3] |= (byte)(1 << (g & 7)); ready++; }
                if ((ev & PollOut) != 0 && (rev & (PollOut | PollErr)) != 0) { oW![g >> 3] |= (byte)(1 << (g & 7)); ready++; }
                if ((ev & PollPri) != 0 && (rev & PollPri) != 0) { oE![g >> 3] |= (byte)(1 << (g & 7)); ready++; }
            }
            if (oR != null) proc.Memory.WriteBytes(rd, oR);
            if (oW != null) proc.Memory.WriteBytes(wr, oW);
            if (oE != null) proc.Memory.WriteBytes(ex, oE);
            return ready;
        }
    }

    private static byte[]? Load(LinuxProcess proc, ulong addr, int bytes)
    {
        if (addr == 0) return null;
        if (!Guest.Check(proc, addr, (ulong)bytes, PageFlags.Read | PageFlags.Write)) return null;
        var b = new byte[bytes];
        proc.Memory.ReadBytes(addr, b);
        return b;
    }

    [Syscall(23, "select", "dpppp")]
    private static long SelectCall(LinuxProcess proc, in SyscallArgs a)
    {
        long ns = -1;
        if (a.A4 != 0)
        {
            if (!Guest.Check(proc, a.A4, 16, PageFlags.Read)) return -Errno.EFAULT;
            long sec = (long)proc.Memory.Read64(a.A4), usec = (long)proc.Memory.Read64(a.A4 + 8);
            if (sec < 0 || usec < 0 || usec >= 1_000_000) return -Errno.EINVAL;
            ns = sec > long.MaxValue / 1_000_000_000 - 1 ? long.MaxValue : sec * 1_000_000_000 + usec * 1000;
        }
        long deadline = MaskedWait.Deadline(ns);
        long r = Select(proc, a.Int(0), a.A1, a.A2, a.A3, deadline, null);
        if (ns != 0) MaskedWait.WriteTimeLeft(proc, a.A4, deadline, timeval: true);
        return r;
    }

    [Syscall(270, "pselect6", "dppppp")]
    private static long Pselect6(LinuxProcess proc, in SyscallArgs a)
    {
        // The sixth argument points at { const sigset_t *ss; size_t ss_len; }, read first, as Linux does.
        ulong ss = 0, ssLen = 0;
        if (a.A5 != 0)
        {
            if (!Guest.Check(proc, a.A5, 16, PageFlags.Read)) return -Errno.EFAULT;
            ss = proc.Memory.Read64(a.A5);
            ssLen = proc.Memory.Read64(a.A5 + 8);
        }
        long ns = -1;
        if (a.A4 != 0)
        {
            if (!Guest.Check(proc, a.A4, 16, PageFlags.Read)) return -Errno.EFAULT;
            long sec = (long)proc.Memory.Read64(a.A4), nsec = (long)proc.Memory.Read64(a.A4 + 8);
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000) return -Errno.EINVAL;
            ns = sec > long.MaxValue / 1_000_000_000 - 1 ? long.MaxValue : sec * 1_000_000_000 + nsec;
        }
        long deadline = MaskedWait.Deadline(ns);
        long err = MaskedWait.ReadMask(proc, ss, ssLen, out var mask);
        if (err != 0) return err;
        long r = Select(proc, a.Int(0), a.A1, a.A2, a.A3, deadline, mask);
        if (ns != 0) MaskedWait.WriteTimeLeft(proc, a.A4, deadline, timeval: false);
        return r;
    }
}
