using Ferry.Host;
using Ferry.Memory;

namespace Ferry.Linux.Syscalls;

/// <summary>Sockets: the host's, behind guest descriptors. Addresses, buffers and options are guest
/// memory handed to the host kernel after the page map says the guest may access them; the layouts
/// (sockaddr, msghdr, cmsghdr, iovec, option values) are the same on every 64-bit Linux. Descriptors
/// passed in SCM_RIGHTS messages are translated both ways.</summary>
internal static unsafe class SocketCalls
{
    private const int SolSocket = 1, ScmRights = 1;
    private const int MsghdrSize = 56, CmsgHeader = 16;
    private const int EMSGSIZE = 90, ENOBUFS = 105;

    private static long Fd(LinuxProcess proc, ulong guestFd, out int host)
    {
        host = proc.Fds.Host((long)guestFd);
        return host < 0 ? -Errno.EBADF : 0;
    }

    [Syscall(41, "socket", "ddd")]
    private static long Socket(LinuxProcess proc, in SyscallArgs a) => NewDescriptors.One(proc, LibC.Socket(a.Int(0), a.Int(1), a.Int(2)));

    [Syscall(53, "socketpair", "dddp")]
    private static long Socketpair(LinuxProcess proc, in SyscallArgs a)
    {
        if (!Guest.Check(proc, a.A3, 8, PageFlags.Write)) return -Errno.EFAULT;
        int* sv = stackalloc int[2];
        if (LibC.Socketpair(a.Int(0), a.Int(1), a.Int(2), sv) != 0) return -LibC.Errno;
        return NewDescriptors.Pair(proc, sv, a.A3);
    }

    [Syscall(49, "bind", "fpd")]
    private static long Bind(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        if (!Guest.Check(proc, a.A1, (uint)a.A2, PageFlags.Read)) return -Errno.EFAULT;
        return LibC.Result(LibC.Bind(fd, (void*)a.A1, (uint)a.A2));
    }

    [Syscall(42, "connect", "fpd")]
    private static long Connect(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        if (!Guest.Check(proc, a.A1, (uint)a.A2, PageFlags.Read)) return -Errno.EFAULT;
        return LibC.Result(LibC.Connect(fd, (void*)a.A1, (uint)a.A2));
    }

    [Syscall(50, "listen", "fd")]
    private static long Listen(LinuxProcess proc, in SyscallArgs a) =>
        Fd(proc, a.A0, out int fd) < 0 ? -Errno.EBADF : LibC.Result(LibC.Listen(fd, a.Int(1)));

    [Syscall(48, "shutdown", "fd")]
    private static long Shutdown(LinuxProcess proc, in SyscallArgs a) =>
        Fd(proc, a.A0, out int fd) < 0 ? -Errno.EBADF : LibC.Result(LibC.Shutdown(fd, a.Int(1)));

    /// <summary>Checks an (address, socklen_t* length) result pair: the length is read, and that many
    /// bytes of the address must be writable. Null address means the caller does not want it.</summary>
    private static bool AddrOut(LinuxProcess proc, ulong addr, ulong lenAddr, out uint len)
    {
        len = 0;
        if (addr == 0) return true;
        if (!Guest.Check(proc, lenAddr, 4, PageFlags.Read | PageFlags.Write)) return false;
        len = proc.Memory.Read32(lenAddr);
        return (int)len >= 0 && Guest.Check(proc, addr, len, PageFlags.Write);
    }

    private static long Accept(LinuxProcess proc, in SyscallArgs a, int flags)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        if (!AddrOut(proc, a.A1, a.A2, out uint len)) return -Errno.EFAULT;
        int h = LibC.Accept4(fd, a.A1 == 0 ? null : (void*)a.A1, a.A1 == 0 ? null : &len, flags);
        if (h < 0) return -LibC.Errno;
        if (a.A1 != 0) proc.Memory.Write32(a.A2, len);
        return NewDescriptors.One(proc, h);
    }

    [Syscall(43, "accept", "fpp")]
    private static long Accept(LinuxProcess proc, in SyscallArgs a) => Accept(proc, a, 0);

    [Syscall(288, "accept4", "fppx")]
    private static long Accept4(LinuxProcess proc, in SyscallArgs a) => Accept(proc, a, a.Int(3));

    private static long Name(LinuxProcess proc, in SyscallArgs a, bool peer)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        // The kernel looks at the socket before the pointers (ENOTSOCK, ENOTCONN before EFAULT). Null pointers
        // are not passed on for the host to order so: qemu-user reads the length first and says EFAULT.
        if (a.A1 == 0 || a.A2 == 0)
        {
            byte* name = stackalloc byte[128];
            uint room = 128;
            if ((peer ? LibC.Getpeername(fd, name, &room) : LibC.Getsockname(fd, name, &room)) < 0) return -LibC.Errno;
            return a.A2 == 0 ? -Errno.EFAULT : NullNameResult(proc, a.A1, a.A2, room);
        }
        if (!AddrOut(proc, a.A1, a.A2, out uint len)) return -Errno.EFAULT;
        int r = peer ? LibC.Getpeername(fd, (void*)a.A1, &len) : LibC.Getsockname(fd, (void*)a.A1, &len);
        if (r < 0) return -LibC.Errno;
        proc.Memory.Write32(a.A2, len);
        return 0;
    }

    // After the socket has a name of nameLength bytes, as move_addr_to_user copies it: a null length is EFAULT;
    // a null buffer is EFAULT unless the length asked for is 0, when the name's length is still written.
    private static long NullNameResult(LinuxProcess proc, ulong addr, ulong lenAddr, uint nameLength)
    {
        if (!Guest.Check(proc, lenAddr, 4, PageFlags.Read | PageFlags.Write)) return -Errno.EFAULT;
        int len = (int)proc.Memory.Read32(lenAddr);
        if (len < 0) return -Errno.EINVAL;
        if (addr == 0 && len > 0) return -Errno.EFAULT;
        proc.Memory.Write32(lenAddr, nameLength);
        return 0;
    }

    [Syscall(51, "getsockname", "fpp")]
    private static long Getsockname(LinuxProcess proc, in SyscallArgs a) => Name(proc, a, false);

    [Syscall(52, "getpeername", "fpp")]
    private static long Getpeername(LinuxProcess proc, in SyscallArgs a) => Name(proc, a, true);

    [Syscall(44, "sendto", "fpdxpd")]
    private static long Sendto(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        if (!Guest.Check(proc, a.A1, a.A2, PageFlags.Read)) return -Errno.EFAULT;
        if (a.A4 != 0 && !Guest.Check(proc, a.A4, (uint)a.A5, PageFlags.Read)) return -Errno.EFAULT;
        return LibC.Result(LibC.Sendto(fd, (void*)a.A1, (nuint)a.A2, a.Int(3), a.A4 == 0 ? null : (void*)a.A4, (uint)a.A5));
    }

    [Syscall(45, "recvfrom", "fpdxpp")]
    private static long Recvfrom(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        if (!Guest.Check(proc, a.A1, a.A2, PageFlags.Write)) return -Errno.EFAULT;
        if (!AddrOut(proc, a.A4, a.A5, out uint len)) return -Errno.EFAULT;
        nint r = LibC.Recvfrom(fd, (void*)a.A1, (nuint)a.A2, a.Int(3), a.A4 == 0 ? null : (void*)a.A4, a.A4 == 0 ? null : &len);
        if (r < 0) return -LibC.Errno;
        if (a.A4 != 0) proc.Memory.Write32(a.A5, len);
        return r;
    }

    [Syscall(54, "setsockopt", "fddpd")]
    private static long Setsockopt(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        if (!Guest.Check(proc, a.A3, (uint)a.A4, PageFlags.Read)) return -Errno.EFAULT;
        return LibC.Result(LibC.Setsockopt(fd, a.Int(1), a.Int(2), (void*)a.A3, (uint)a.A4));
    }

    [Syscall(55, "getsockopt", "fddpp")]
    private static long Getsockopt(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        if (!AddrOut(proc, a.A3, a.A4, out uint len) || a.A3 == 0) return -Errno.EFAULT;
        if (LibC.Getsockopt(fd, a.Int(1), a.Int(2), (void*)a.A3, &len) < 0) return -LibC.Errno;
        proc.Memory.Write32(a.A4, len);
        return 0;
    }

    /// <summary>The guest's msghdr, checked: name, iovec array and buffers, control area.</summary>
    private readonly record struct Msg(ulong Name, uint NameLen, ulong Iov, ulong IovLen, ulong Control, ulong ControlLen);

    private static long ReadMsg(LinuxProcess proc, ulong addr, bool receive, out Msg m)
    {
        m = default;
        var need = receive ? PageFlags.Write : PageFlags.Read;
        if (!Guest.Check(proc, addr, MsghdrSize, PageFlags.Read | (receive ? PageFlags.Write : 0))) return -Errno.EFAULT;
        var mem = proc.Memory;
        m = new Msg(mem.Read64(addr), mem.Read32(addr + 8), mem.Read64(addr + 16), mem.Read64(addr + 24), mem.Read64(addr + 32), mem.Read64(addr + 40));
        if (m.IovLen > 1024) return -EMSGSIZE;
        if (m.Name != 0 && !Guest.Check(proc, m.Name, m.NameLen, need)) return -Errno.EFAULT;
        if (!Guest.Check(proc, m.Iov, m.IovLen * 16, PageFlags.Read)) return -Errno.EFAULT;
        for (ulong k = 0; k < m.IovLen; k++)
            if (!Guest.Check(proc, mem.Read64(m.Iov + 16 * k), mem.Read64(m.Iov + 16 * k + 8), need)) return -Errno.EFAULT;
        if (m.ControlLen > 1 << 20) return -ENOBUFS;
        if (m.Control != 0 && !Guest.Check(proc, m.Control, m.ControlLen, need)) return -Errno.EFAULT;
        return 0;
    }

    private static void HostMsg(byte* h, in Msg m, byte* control)
    {
        *(ulong*)h = m.Name; *(uint*)(h + 8) = m.NameLen; *(uint*)(h + 12) = 0;
        *(ulong*)(h + 16) = m.Iov; *(ulong*)(h + 24) = m.IovLen;
        *(ulong*)(h + 32) = control == null ? 0 : (ulong)control; *(ulong*)(h + 40) = control == null ? 0 : m.ControlLen;
        *(int*)(h + 48) = 0; *(int*)(h + 52) = 0;
    }

    /// <summary>Walks the control messages of a buffer, calling <paramref name="rights"/> for the fd array of each SCM_RIGHTS.</summary>
    private static void ForEachRights(byte* control, ulong length, Action<IntPtr, int> rights)
    {
        ulong off = 0;
        while (off + CmsgHeader <= length)
        {
            ulong len = *(ulong*)(control + off);
            if (len < CmsgHeader || off + len > length) break;
            if (*(int*)(control + off + 8) == SolSocket && *(int*)(control + off + 12) == ScmRights)
                rights((IntPtr)(control + off + CmsgHeader), (int)((len - CmsgHeader) / 4));
            off += (len + 7) & ~7UL;
        }
    }

    [Syscall(46, "sendmsg", "fpx")]
    private static long Sendmsg(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        long e = ReadMsg(proc, a.A1, false, out var m);
        if (e < 0) return e;
        var control = new byte[m.ControlLen];
        if (m.ControlLen > 0) proc.Memory.ReadBytes(m.Control, control);
        byte* h = stackalloc byte[MsghdrSize];
        fixed (byte* c = control)
        {
            bool bad = false;
            ForEachRights(c, m.ControlLen, (p, n) =>
            {
                var fds = (int*)p;
                for (int k = 0; k < n; k++) { int host = proc.Fds.Host(fds[k]); if (host < 0) bad = true; fds[k] = host; }
            });
            if (bad) return -Errno.EBADF;
            HostMsg(h, m, m.ControlLen > 0 ? c : null);
            return LibC.Result(LibC.Sendmsg(fd, h, a.Int(2)));
        }
    }

    [Syscall(47, "recvmsg", "fpx")]
    private static long Recvmsg(LinuxProcess proc, in SyscallArgs a)
    {
        if (Fd(proc, a.A0, out int fd) < 0) return -Errno.EBADF;
        long e = ReadMsg(proc, a.A1, true, out var m);
        if (e < 0) return e;
        var control = new byte[m.ControlLen];
        byte* h = stackalloc byte[MsghdrSize];
        fixed (byte* c = control)
        {
            HostMsg(h, m, m.ControlLen > 0 ? c : null);
            nint r = LibC.Recvmsg(fd, h, a.Int(2));
            if (r < 0) return -LibC.Errno;
            ulong controlLen = *(ulong*)(h + 40);
            ForEachRights(c, controlLen, (p, n) =>
            {
                var fds = (int*)p;
                for (int k = 0; k < n; k++)
                {
                    int g = proc.Fds.Add(fds[k]);
                    if (g < 0) LibC.Close(fds[k]);
                    fds[k] = g < 0 ? -1 : g;
                }
            });
            if (controlLen > 0) proc.Memory.WriteBytes(m.Control, control.AsSpan(0, (int)controlLen));
            proc.Memory.Write32(a.A1 + 8, *(uint*)(h + 8));
            proc.Memory.Write64(a.A1 + 40, controlLen);
            proc.Memory.Write32(a.A1 + 48, *(uint*)(h + 48));
            return r;
        }
    }
}
