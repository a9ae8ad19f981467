using System.Runtime.InteropServices;

namespace Ferry.Host;

/// <summary>Ferry's own use of host signals. A wake-up signal with a no-op handler (and no SA_RESTART)
/// interrupts a guest thread's blocking host call with EINTR. Signals sent to the process from outside
/// are caught by a tiny native handler that writes the signal number to a pipe, and a reader thread
/// hands them to the guest. Native code rather than PosixSignalRegistration because a forked child has
/// none of the runtime's signal thread: Ferry restarts its own reader there.</summary>
internal static unsafe class HostSignals
{
    /// <summary>The host signal that interrupts a guest thread's host call; glibc and .NET use only the
    /// lowest real-time signals.</summary>
    public const int Wake = 62;

    /// <summary>Host signals passed on to the guest: every catchable one the runtime does not need. Of the
    /// real-time signals the runtime keeps SIGRTMIN (34, its activation signal) and Ferry its wake-up signal;
    /// glibc's own 32 and 33 never come from another process.</summary>
    public static readonly int[] Forwarded = ForwardedSignals();

    // Loops, not Enumerable.Range/Where/Aggregate: LINQ over int has no ReadyToRun form here and was
    // JIT-compiled at every start.
    private static int[] ForwardedSignals()
    {
        int[] low = [1, 2, 3, 10, 12, 14, 15, 17, 18, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30];
        var all = new int[low.Length + 29];
        low.CopyTo(all, 0);
        int n = low.Length;
        for (int s = 35; s < 65; s++) if (s != Wake) all[n++] = s;
        return all;
    }

    private static ulong MaskOf(int[] signals)
    {
        ulong m = 0;
        foreach (int s in signals) m |= 1UL << (s - 1);
        return m;
    }

    /// <summary>What the handler records of each signal: the first 32 bytes of the host's siginfo_t (signo,
    /// errno, code, then pid, uid and sigval, or for SIGCHLD pid, uid and status), as one atomic pipe write.</summary>
    public const int RecordSize = 32;

    /// <summary>The <see cref="Forwarded"/> signals as a host signal mask.</summary>
    public static ulong ForwardedMask { get; } = MaskOf(Forwarded);

    /// <summary>Held while a forwarded signal is handed to the guest; fork holds it too, so the reader is
    /// never caught half-way in the child.</summary>
    public static object Gate { get; private set; } = new();

    private static readonly Lock InitLock = new();
    private static byte* _code;
    private static int _readFd = -1, _writeFd = -1, _holdReadFd = -1, _holdWriteFd = -1;
    private static Action<HostSignal>? _sink;
    private const int ForwardOffset = 0, FdOffset = 4096, FlagOffset = 4104;
    private const int SaRestart = 0x10000000, SaSiginfo = 4;

    private static byte* Code
    {
        get
        {
            lock (InitLock)
            {
                if (_code != null) return _code;
                // Page 0: the code; page 1: the descriptor the handler writes to, which fork switches.
                byte* page = (byte*)LibC.Mmap(null, 8192, 3, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0);
                if (page == (byte*)-1) throw new InvalidOperationException($"cannot map the signal trampoline (errno {LibC.Errno})");
                byte[] forward, ret;
                if (RuntimeInformation.ProcessArchitecture == Architecture.X64)
                {
                    // An SA_SIGINFO handler: mov dword [rip+4094],1 (the flag at 4104); mov edi,[rip+4080] (the fd
                    // at 4096); rsi is the siginfo already; mov edx,32; mov eax,1 (write); syscall; ret. The
                    // registers it changes are restored by sigreturn.
                    forward = [0xC7, 0x05, 0xFE, 0x0F, 0, 0, 1, 0, 0, 0, 0x8B, 0x3D, 0xF0, 0x0F, 0, 0, 0xBA, RecordSize, 0, 0, 0, 0xB8, 1, 0, 0, 0, 0x0F, 0x05, 0xC3];
                    ret = [0xC3];
                }
                else if (RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
                {
                    // adr x3,flag (4104); mov w2,#1; str w2,[x3]; ldr w0,=fd (at 4096); x1 is the siginfo already;
                    // mov x2,#32; mov x8,#64 (write); svc #0; ret
                    uint[] ins = [0x10008043, 0x52800022, 0xB9000062, 0x18007FA0, 0xD2800402, 0xD2800808, 0xD4000001, 0xD65F03C0];
                    forward = ins.SelectMany(BitConverter.GetBytes).ToArray();
                    ret = BitConverter.GetBytes(0xD65F03C0u);
                }
                else throw new PlatformNotSupportedException("Ferry's signal trampoline exists for x64 and arm64 hosts");
                forward.CopyTo(new Span<byte>(page + ForwardOffset, forward.Length));
                ret.CopyTo(new Span<byte>(page + WakeOffset, ret.Length));
                *(int*)(page + FdOffset) = -1;
                if (LibC.Mprotect(page, 4096, 5 /* PROT_READ|PROT_EXEC */) != 0)
                    throw new InvalidOperationException($"cannot protect the signal trampoline (errno {LibC.Errno})");
                _code = page;
                return page;
            }
        }
    }

    private const int WakeOffset = 48;

    /// <summary>The signals this host process was started with ignored (SIG_IGN survives execve: nohup, a
    /// background job's SIGINT and SIGQUIT), read before Ferry installs a handler of its own. SIGPIPE is left
    /// out: the .NET runtime ignores it in every process, so its inherited state cannot be told; SIGTERM's is
    /// lost too, as the runtime puts its own handler there first.</summary>
    public static ulong InheritedIgnored { get; } = ReadIgnored();

    private static ulong ReadIgnored()
    {
        ulong set = 0;
        byte* old = stackalloc byte[152];
        for (int sig = 1; sig <= 64; sig++)
        {
            if (sig is 9 or 19 or 13) continue; // SIGKILL and SIGSTOP cannot be ignored; SIGPIPE: see above
            if (LibC.Sigaction(sig, null, old) == 0 && *(nint*)old == 1 /* SIG_IGN */) set |= 1UL << (sig - 1);
        }
        return set;
    }

    private static void Install(int sig, void* handler, int flags)
    {
        _ = InheritedIgnored; // read before the first handler of Ferry's replaces what was inherited
        // glibc's struct sigaction, the same on every 64-bit Linux: handler, 128-byte mask, flags, restorer.
        byte* act = stackalloc byte[152];
        new Span<byte>(act, 152).Clear();
        *(void**)act = handler;
        *(int*)(act + 136) = flags;
        if (LibC.Sigaction(sig, act, null) != 0)
            throw new InvalidOperationException($"sigaction({sig}) failed (errno {LibC.Errno})");
    }

    private static int _wakeInstalled;

    /// <summary>Installs the wake-up signal's handler (once).</summary>
    public static void InstallWake()
    {
        if (Interlocked.Exchange(ref _wakeInstalled, 1) == 1) return;
        Install(Wake, Code + WakeOffset, 0);
    }

    /// <summary>A word the signal handler sets whenever a forwarded signal arrives; guest threads check it at
    /// block boundaries (so a tight loop notices) and then call <see cref="Poll"/>.</summary>
    public static int* ArrivedFlag => _readFd >= 0 ? (int*)(_code + FlagOffset) : null;

    /// <summary>Hands arrived signals to the guest if the handler flagged any (forked children have no reader thread).</summary>
    public static void Poll()
    {
        if (_readFd < 0 || Volatile.Read(ref *(int*)(_code + FlagOffset)) == 0) return;
        Volatile.Write(ref *(int*)(_code + FlagOffset), 0);
        Drain();
    }

    /// <summary>Interrupts host thread <paramref name="hostTid"/>'s blocking system call, if it is in one.</summary>
    public static void WakeThread(int hostTid) => LibC.Tgkill(LibC.Getpid(), hostTid, Wake);

    /// <summary>Catches the <see cref="Forwarded"/> signals and calls <paramref name="sink"/> with each, on a
    /// thread of its own, under <see cref="Gate"/>.</summary>
    public static void Forward(Action<HostSignal> sink)
    {
        lock (InitLock)
        {
            _sink = sink;
            if (_readFd >= 0) return;
        }
        var code = Code;
        int* fds = stackalloc int[2];
        if (LibC.Pipe2(fds, 0x80000 | 0x800 /* O_CLOEXEC|O_NONBLOCK */) != 0)
            throw new InvalidOperationException($"pipe2 failed (errno {LibC.Errno})");
        _readFd = fds[0]; _writeFd = fds[1];
        if (LibC.Pipe2(fds, 0x80000 | 0x800) != 0)
            throw new InvalidOperationException($"pipe2 failed (errno {LibC.Errno})");
        _holdReadFd = fds[0]; _holdWriteFd = fds[1];
        Volatile.Write(ref *(int*)(code + FdOffset), _writeFd);
        StartReader();
        foreach (var sig in Forwarded) Install(sig, code + ForwardOffset, SaRestart | SaSiginfo);
    }

    private static void StartReader()
    {
        int fd = _readFd;
        var t = new Thread(() => ReadLoop(fd), 256 * 1024) { IsBackground = true, Name = "ferry signals" };
        t.Start();
    }

    // Bytes are only ever taken from the pipe under the gate, so Drain sees every signal that arrived
    // before it, in order.
    private static void ReadLoop(int fd)
    {
        long pfd = (uint)fd | (1L << 32); // struct pollfd { int fd; short events = POLLIN; short revents; }
        while (true)
        {
            int r = LibC.Poll(&pfd, 1, -1);
            if (r < 0 && LibC.Errno == 4 /* EINTR */) continue;
            if (r < 0) return;
            lock (Gate) DrainLocked(fd);
        }
    }

    // Every record is one write of RecordSize bytes (atomic for a pipe), so reads stay aligned to them.
    private static void DrainLocked(int fd)
    {
        byte* r = stackalloc byte[RecordSize];
        while (LibC.Read(fd, r, RecordSize) == RecordSize)
            _sink?.Invoke(new HostSignal(*(int*)r, *(int*)(r + 8), *(int*)(r + 16), *(uint*)(r + 20), *(ulong*)(r + 24)));
    }

    /// <summary>Hands the guest every forwarded signal that has reached the host so far (before its
    /// disposition changes, say: the host has already queued a SIGCHLD for a child the guest just reaped).</summary>
    public static void Drain()
    {
        if (_readFd < 0) return;
        lock (Gate) DrainLocked(_readFd);
    }

    /// <summary>In a forked child: a pipe of its own under the same descriptor numbers (the parent keeps
    /// reading the old one) and a new reader thread, since the parent's did not come along.</summary>
    /// <summary>True in a forked child, where no reader thread watches the pipe: waits must poll it.</summary>
    public static bool NoReader { get; private set; }

    public static void AfterFork()
    {
        // Monitors the parent's other threads waited on would still count them as waiters here.
        Gate = new object();
        if (_readFd < 0) return;
        NoReader = true;
        Replace(_readFd, _writeFd);
        // What arrived during the fork was the parent's.
        Replace(_holdReadFd, _holdWriteFd);
        Volatile.Write(ref *(int*)(_code + FdOffset), _writeFd);
        // No reader thread here: glibc hands a new thread the stack of one the fork left behind, which the
        // runtime still walks at every collection. Guest threads poll the pipe instead, and the handler must
        // interrupt their blocking calls itself (no SA_RESTART).
        foreach (var sig in Forwarded) Install(sig, _code + ForwardOffset, SaSiginfo);
    }

    private static void Replace(int readFd, int writeFd)
    {
        int* fds = stackalloc int[2];
        if (LibC.Pipe2(fds, 0x80000 | 0x800) != 0) return;
        LibC.Dup3(fds[0], readFd, 0x80000);
        LibC.Dup3(fds[1], writeFd, 0x80000);
        LibC.Close(fds[0]); LibC.Close(fds[1]);
    }

    /// <summary>Before a fork: signals that arrive meanwhile go to a pipe the reader does not watch, so
    /// that nothing wakes the reader while the host process is copied.</summary>
    public static void HoldForFork()
    {
        if (_readFd >= 0) Volatile.Write(ref *(int*)(_code + FdOffset), _holdWriteFd);
    }

    /// <summary>In the parent after a fork: back to the watched pipe, and the signals held meanwhile go to the
    /// guest (the caller holds <see cref="Gate"/>).</summary>
    public static void ReleaseAfterFork()
    {
        if (_readFd < 0) return;
        Volatile.Write(ref *(int*)(_code + FdOffset), _writeFd);
        DrainLocked(_holdReadFd);
    }

    /// <summary>SIGCHLD ignored (or SA_NOCLDWAIT) by the guest: the host kernel must reap its children by
    /// itself, as Linux does for the guest, so wait reports ECHILD; otherwise Ferry's forwarder again.</summary>
    public static void SetChildReaping(bool ignore, bool noChildWait)
    {
        const int sigchld = 17, saNocldwait = 2;
        if (ignore) { Install(sigchld, (void*)1 /* SIG_IGN */, 0); return; }
        if (_readFd < 0) { Install(sigchld, null /* SIG_DFL */, noChildWait ? saNocldwait : 0); return; }
        Install(sigchld, _code + ForwardOffset, (NoReader ? 0 : SaRestart) | SaSiginfo | (noChildWait ? saNocldwait : 0));
    }

    /// <summary>Before a host execve: the new program starts with the default action for everything Ferry
    /// caught (the kernel resets handlers) except what the guest ignores.</summary>
    public static void PrepareHostExec(Func<int, bool> ignored)
    {
        for (int sig = 1; sig < 32; sig++)
            if (sig != 9 && sig != 19 && ignored(sig)) LibC.Signal(sig, 1 /* SIG_IGN */);
    }
}
