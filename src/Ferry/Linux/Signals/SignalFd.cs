using System.Buffers.Binary;
using Ferry.Host;

namespace Ferry.Linux.Signals;

/// <summary>A guest signalfd. Guest signals live in Ferry's queues, not the host kernel's (a signal the
/// guest sends itself never reaches the host), so a host signalfd cannot see them. The descriptor the
/// guest holds is a host eventfd whose counter Ferry keeps non-zero exactly while a signal of the mask is
/// pending: poll, select and epoll then report readiness as for a signalfd, and reads are answered here
/// from the guest's pending queues.</summary>
internal sealed unsafe class SignalFd
{
    private static readonly Dictionary<int, SignalFd> Open = new();
    private static readonly Lock Gate = new();
    private static int _count;

    private readonly Lock _lock = new();
    private bool _ready;

    private SignalFd(LinuxProcess owner, ulong mask)
    {
        Owner = owner;
        Mask = mask;
    }

    /// <summary>The process whose signals the descriptor reports.</summary>
    public LinuxProcess Owner { get; }

    /// <summary>The signals it reports; bit n-1 is signal n.</summary>
    public ulong Mask { get; set; }

    /// <summary>Creates the host eventfd for a new signalfd; returns it, or -1 with errno set.</summary>
    public static int Create(LinuxProcess owner, ulong mask, int hostFlags)
    {
        int fd = LibC.Eventfd(0, hostFlags);
        if (fd < 0) return fd;
        Register(fd, new SignalFd(owner, mask));
        return fd;
    }

    private static void Register(int hostFd, SignalFd s)
    {
        lock (Gate)
        {
            Open[hostFd] = s;
            Volatile.Write(ref _count, Open.Count);
        }
    }

    /// <summary>The signalfd behind host descriptor <paramref name="hostFd"/>, or null (cheap when there is none).</summary>
    public static SignalFd? Find(int hostFd)
    {
        if (Volatile.Read(ref _count) == 0) return null;
        lock (Gate) return Open.GetValueOrDefault(hostFd);
    }

    /// <summary>A host descriptor was duplicated: the copy is the same signalfd.</summary>
    public static void Duplicated(int hostFd, int copy)
    {
        if (Find(hostFd) is { } s) Register(copy, s);
    }

    /// <summary>Forgets a host descriptor that is being closed.</summary>
    public static void Closed(int hostFd)
    {
        if (Volatile.Read(ref _count) == 0) return;
        lock (Gate)
        {
            Open.Remove(hostFd);
            Volatile.Write(ref _count, Open.Count);
        }
    }

    /// <summary>The pending signals changed: every signalfd of <paramref name="owner"/> becomes readable
    /// or not accordingly.</summary>
    public static void Changed(LinuxProcess owner, ulong pending)
    {
        if (Volatile.Read(ref _count) == 0) return;
        KeyValuePair<int, SignalFd>[] all;
        lock (Gate) all = Open.ToArray();
        foreach (var (fd, s) in all)
            if (s.Owner == owner) s.SetReady(fd, (pending & s.Mask) != 0);
    }

    private void SetReady(int hostFd, bool ready)
    {
        lock (_lock)
        {
            if (ready == _ready) return;
            ulong v = 1;
            // The counter is 1 exactly while _ready, so neither call can block on a blocking descriptor.
            nint r = ready ? LibC.Write(hostFd, &v, 8) : LibC.Read(hostFd, &v, 8);
            if (r == 8) _ready = ready;
        }
    }

    /// <summary>In a forked child: the parent's eventfds are shared with it, so each gets a fresh one under
    /// the same number, else the child's signals would make the parent's descriptor readable.</summary>
    public static void AfterFork()
    {
        if (Volatile.Read(ref _count) == 0) return;
        lock (Gate)
        {
            var fresh = new Dictionary<SignalFd, int>();
            foreach (var (fd, s) in Open.ToArray())
            {
                if (!fresh.TryGetValue(s, out int nfd))
                {
                    int fl = LibC.Fcntl(fd, 3 /* F_GETFL */, 0);
                    nfd = LibC.Eventfd(0, fl & 0x800 /* O_NONBLOCK */);
                    fresh[s] = nfd;
                    s._ready = false;
                }
                if (nfd < 0) continue;
                int cloexec = LibC.Fcntl(fd, 1 /* F_GETFD */, 0) & 1;
                LibC.Dup3(nfd, fd, cloexec != 0 ? OpenFlags.CloExec : 0);
            }
            foreach (var nfd in fresh.Values) if (nfd >= 0) LibC.Close(nfd);
        }
    }

    /// <summary>The 128-byte struct signalfd_siginfo for <paramref name="info"/>, filled as the kernel's
    /// signalfd_copyinfo does for each siginfo layout.</summary>
    public static byte[] Encode(SignalInfo info)
    {
        var b = new byte[128];
        var s = b.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s, (uint)info.Signo);
        BinaryPrimitives.WriteInt32LittleEndian(s[8..], info.Code);
        bool kernelCode = info.Code > SignalInfo.SiUser && info.Code < SignalInfo.SiKernel;
        if (kernelCode && info.IsFault)
        {
            // x86-64 has no SIL_FAULT_TRAPNO: ssi_trapno stays 0, as in the kernel.
            BinaryPrimitives.WriteUInt64LittleEndian(s[72..], info.Address);
            return b;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], (uint)info.Pid);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], info.Uid);
        if (kernelCode && info.Signo == GuestSignal.SIGCHLD)
            BinaryPrimitives.WriteInt32LittleEndian(s[40..], (int)info.Value); // ssi_status
        else if (info.Code == PosixTimer.SiTimer)
        {
            // SIL_TIMER: the timer id and overrun (Pid and Uid carry them), and the sigev_value.
            BinaryPrimitives.WriteUInt32LittleEndian(s[12..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(s[16..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)info.Pid);
            BinaryPrimitives.WriteUInt32LittleEndian(s[32..], info.Uid);
            BinaryPrimitives.WriteInt32LittleEndian(s[44..], (int)info.Value);
            BinaryPrimitives.WriteUInt64LittleEndian(s[48..], info.Value);
        }
        else if (info.Code < 0)
        {
            // SI_QUEUE, SI_TKILL, SI_MESGQ...: the sigval, as an int and as a pointer.
            BinaryPrimitives.WriteInt32LittleEndian(s[44..], (int)info.Value);
            BinaryPrimitives.WriteUInt64LittleEndian(s[48..], info.Value);
        }
        return b;
    }
}
