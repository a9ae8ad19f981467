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
    /// errno, code, then pid, uid and sigval, or for SIGCHLD pid, uid and status), with the thread that took it in
    /// the padding after code, as one atomic pipe write.</summary>
    public const int RecordSize = 32;

    /// <summary>The <see cref="Forwarded"/> signals as a host signal mask.</summary>
    public static ulong ForwardedMask { get; } = MaskOf(Forwarded);

    /// <summary>The forwarded real-time signals, which no handler takes in a process that has a reader thread.
    /// Instances of one of them queue, and the kernel dequeues them in order, but two host threads that took
    /// two instances in their handlers could write them to the pipe in either order. So every host thread
    /// blocks them (guest threads inherit the mask from the thread that starts them), and they are taken out
    /// of the kernel's queue only under <see cref="Gate"/>, with sigtimedwait: by the reader, which a signalfd
    /// wakes, or by a guest thread that looks at its pending signals, which thus also sees those that reached
    /// the host but not yet the reader. The standard signals do not queue, and some are sent to the thread
    /// that caused them (SIGXFSZ), so any thread still takes those in the handler.</summary>
    public static ulong ReaderOnlyMask { get; } = RealTimeMask();

    // A loop, not Where/Aggregate (JIT-compiled at every start, as above).
    private static ulong RealTimeMask()
    {
        ulong m = 0;
        foreach (int s in Forwarded) if (s >= 35) m |= 1UL << (s - 1);
        return m;
    }

    /// <summary>Held while a forwarded signal is handed to the guest; fork holds it too, so the reader is
    /// never caught half-way in the child.</summary>
    public static object Gate { get; private set; } = new();

    private static readonly Lock InitLock = new();
    private static byte* _code;
    private static int _readFd = -1, _writeFd = -1, _holdReadFd = -1, _holdWriteFd = -1, _rtFd = -1, _tickFd = -1;
    private static Action<HostSignal>? _sink;
    private static Func<bool>? _lookForHeld;
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
                byte[] forward, ret, block;
                if (RuntimeInformation.ProcessArchitecture == Architecture.X64)
                {
                    // An SA_SIGINFO handler (rsi = siginfo, rdx = ucontext); the registers it changes are restored
                    // by sigreturn. The receiving thread goes into siginfo's padding (bytes 12-15), so that the
                    // record says which thread a tgkill reached; the flag is set after the write, so that a thread
                    // that sees it finds the record in the pipe:
                    //   mov r8,rdx; mov eax,186 (gettid); syscall; mov [rsi+12],eax
                    //   mov edi,[rip→fd]; mov edx,32; mov eax,1 (write); syscall; mov dword [rip→flag],1
                    //   mov r9d,[rip→reader]; test r9d,r9d; jz done; cmp [rsi+12],r9d; je done
                    //   mov rax,[rip→mask]; or [r8+296],rax (uc_sigmask: this thread takes no more of them)
                    //   done: ret
                    forward = [0x49, 0x89, 0xd0, 0xb8, 0xba, 0x00, 0x00, 0x00, 0x0f, 0x05, 0x89, 0x46, 0x0c, 0x8b, 0x3d, 0xed, 0x0f, 0x00, 0x00,
                        0xba, RecordSize, 0x00, 0x00, 0x00, 0xb8, 0x01, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xc7, 0x05, 0xdf, 0x0f, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
                        0x44, 0x8b, 0x0d, 0xdc, 0x0f, 0x00, 0x00, 0x45, 0x85, 0xc9, 0x74, 0x14, 0x44, 0x39, 0x4e, 0x0c, 0x74, 0x0e,
                        0x48, 0x8b, 0x05, 0xce, 0x0f, 0x00, 0x00, 0x49, 0x09, 0x80, 0x28, 0x01, 0x00, 0x00, 0xc3];
                    ret = [0xc3];
                    // mov rax,[rip→mask]; or [rdx+296],rax; ret
                    block = [0x48, 0x8b, 0x05, 0x69, 0x0f, 0x00, 0x00, 0x48, 0x09, 0x82, 0x28, 0x01, 0x00, 0x00, 0xc3];
                }
                else if (RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
                {
                    // x1 = siginfo, x2 = ucontext (the same steps):
                    //   mov x9,x2; mov x13,x1; mov x8,#178 (gettid); svc #0; str w0,[x13,#12]
                    //   ldr w0,fd; mov x1,x13; mov x2,#32; mov x8,#64 (write); svc #0; adr x3,flag; mov w2,#1; str w2,[x3]
                    //   ldr w10,reader; cbz w10,done; ldr w0,[x13,#12]; cmp w0,w10; b.eq done
                    //   ldr x11,mask; ldr x12,[x9,#40]; orr x12,x12,x11; str x12,[x9,#40] (uc_sigmask); done: ret
                    uint[] ins = [0xaa0203e9, 0xaa0103ed, 0xd2801648, 0xd4000001, 0xb9000da0, 0x18007f60, 0xaa0d03e1, 0xd2800402,
                        0xd2800808, 0xd4000001, 0x10007f03, 0x52800022, 0xb9000062, 0x18007eca, 0x3400010a, 0xb9400da0,
                        0x6b0a001f, 0x540000a0, 0x58007e4b, 0xf940152c, 0xaa0b018c, 0xf900152c, 0xd65f03c0];
                    forward = ins.SelectMany(BitConverter.GetBytes).ToArray();
                    ret = BitConverter.GetBytes(0xD65F03C0u);
                    // ldr x11,mask; ldr x12,[x2,#40]; orr x12,x12,x11; str x12,[x2,#40]; ret
                    uint[] blk = [0x58007b8b, 0xf940144c, 0xaa0b018c, 0xf900144c, 0xd65f03c0];
                    block = blk.SelectMany(BitConverter.GetBytes).ToArray();
                }
                else throw new PlatformNotSupportedException("Ferry's signal trampoline exists for x64 and arm64 hosts");
                // Span to span: CopyTo(byte[], Span<byte>) is generic code JIT-compiled at every start.
                forward.AsSpan().CopyTo(new Span<byte>(page + ForwardOffset, forward.Length));
                ret.AsSpan().CopyTo(new Span<byte>(page + WakeOffset, ret.Length));
                block.AsSpan().CopyTo(new Span<byte>(page + BlockOffset, block.Length));
                *(int*)(page + FdOffset) = -1;
                *(ulong*)(page + MaskOffset) = ReaderOnlyMask;
                if (LibC.Mprotect(page, 4096, 5 /* PROT_READ|PROT_EXEC */) != 0)
                    throw new InvalidOperationException($"cannot protect the signal trampoline (errno {LibC.Errno})");
                _code = page;
                return page;
            }
        }
    }

    // The code's offsets (the x64 and arm64 forms were assembled with these) and those of its data on page 1.
    private const int WakeOffset = 128, BlockOffset = 160, ReaderTidOffset = 4108, MaskOffset = 4112;

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
        // Whoever holds the gate is handing signals on already. Waiting for it here deadlocked: guest threads poll
        // while they hold their own wait lock (WaitUntil, a futex wait), and the reader, holding the gate, takes that
        // lock to wake them. The flag stays set for the next look.
        if (!Monitor.TryEnter(Gate)) return;
        try
        {
            Volatile.Write(ref *(int*)(_code + FlagOffset), 0);
            DrainLocked(_readFd);
            DequeueHeld();
        }
        finally { Monitor.Exit(Gate); }
    }

    /// <summary>Interrupts host thread <paramref name="hostTid"/>'s blocking system call, if it is in one.</summary>
    public static void WakeThread(int hostTid) => LibC.Tgkill(LibC.Getpid(), hostTid, Wake);

    /// <summary>Catches the <see cref="Forwarded"/> signals and calls <paramref name="sink"/> with each, on a
    /// thread of its own, under <see cref="Gate"/>. <paramref name="lookForHeld"/> runs there too, under the gate,
    /// at an interval: a real-time signal another process sent with tgkill to one particular guest thread waits in
    /// that thread's own host queue, which only the thread itself can take from (see <see cref="ThreadHolds"/>), and
    /// nothing else tells of it. It returns whether the guest would notice a late one (see
    /// <see cref="HeldCheckMilliseconds"/>).</summary>
    public static void Forward(Action<HostSignal> sink, Func<bool>? lookForHeld = null)
    {
        lock (InitLock)
        {
            _sink = sink;
            _lookForHeld = lookForHeld;
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
        ulong* rt = stackalloc ulong[16]; // glibc's sigset_t is 128 bytes
        new Span<ulong>(rt, 16).Clear();
        rt[0] = ReaderOnlyMask;
        LibC.PthreadSigmask(0 /* SIG_BLOCK */, rt, null);
        _rtFd = LibC.Signalfd(-1, rt, 0x80000 | 0x800 /* SFD_CLOEXEC|SFD_NONBLOCK */);
        if (_rtFd < 0) throw new InvalidOperationException($"signalfd failed (errno {LibC.Errno})");
        _tickFd = LibC.TimerfdCreate(1 /* CLOCK_MONOTONIC */, 0x80000 | 0x800 /* TFD_CLOEXEC|TFD_NONBLOCK */);
        ArmTick(_tickPeriod);
        StartReader();
        foreach (var sig in Forwarded) Install(sig, code + ForwardOffset, SaRestart | SaSiginfo);
        BlockInOtherThreads();
    }

    private static void StartReader()
    {
        int fd = _readFd;
        using var started = new ManualResetEventSlim();
        var t = new Thread(() =>
        {
            Volatile.Write(ref *(int*)(_code + ReaderTidOffset), LibC.Gettid());
            started.Set();
            ReadLoop(fd);
        }, 256 * 1024) { IsBackground = true, Name = "ferry signals" };
        t.Start();
        started.Wait();
    }

    /// <summary>The runtime's threads that existed before Ferry blocked <see cref="ReaderOnlyMask"/> (and those
    /// they start later) would take real-time signals too: each gets the wake-up signal once with a handler
    /// that adds the mask to the one its sigreturn restores. A thread that still takes one later (say, one a
    /// native library started with its own mask) blocks them from then on, in the forwarding handler.</summary>
    private static void BlockInOtherThreads()
    {
        int self = LibC.Gettid(), reader = *(int*)(_code + ReaderTidOffset), pid = LibC.Getpid();
        Install(Wake, _code + BlockOffset, SaRestart | SaSiginfo);
        try
        {
            var kicked = new List<int>();
            foreach (var dir in Directory.EnumerateDirectories("/proc/self/task"))
                if (int.TryParse(Path.GetFileName(dir), out int tid) && tid != self && tid != reader
                    && !Blocks(tid, ReaderOnlyMask) && !Blocks(tid, 1UL << (Wake - 1)) && LibC.Tgkill(pid, tid, Wake) == 0)
                    kicked.Add(tid);
            // The handler runs as each thread next returns to user mode, which a sleeping thread does at once.
            for (int round = 0; round < 500 && kicked.Count > 0; round++)
            {
                kicked.RemoveAll(tid => Blocks(tid, ReaderOnlyMask));
                if (kicked.Count > 0) Thread.Sleep(1);
            }
        }
        finally { Install(Wake, _code + WakeOffset, 0); }
    }

    // Whether host thread tid blocks every signal of mask, from its status file (gone counts as yes).
    private static bool Blocks(int tid, ulong mask)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/self/task/{tid}/status"))
                if (line.StartsWith("SigBlk:", StringComparison.Ordinal))
                    return (Convert.ToUInt64(line[7..].Trim(), 16) & mask) == mask;
        }
        catch (IOException) { return true; }
        catch (UnauthorizedAccessException) { return true; }
        return true;
    }

    // Bytes are only ever taken from the pipe under the gate, so Drain sees every signal that arrived
    // before it, in order.
    private static void ReadLoop(int fd)
    {
        long* pfd = stackalloc long[3]; // struct pollfd { int fd; short events = POLLIN; short revents; }
        pfd[0] = (uint)fd | (1L << 32);
        pfd[1] = (uint)_rtFd | (1L << 32);
        pfd[2] = (uint)_tickFd | (1L << 32);
        long* ticks = stackalloc long[1];
        while (true)
        {
            int r = LibC.Poll(pfd, _tickFd >= 0 ? 3UL : 2UL, -1);
            if (r < 0 && LibC.Errno == 4 /* EINTR */) continue;
            if (r < 0) return;
            // Only what poll reported: most wake-ups are the tick, which should cost as few calls as can be.
            lock (Gate)
            {
                if (Ready(pfd[0])) DrainLocked(fd);
                if (Ready(pfd[1])) DequeueHeld();
                // The tick is disarmed while a fork is prepared (under the gate), so this never runs across one.
                if (_tickFd >= 0 && Ready(pfd[2]) && LibC.Read(_tickFd, ticks, 8) == 8 && _lookForHeld is { } look)
                {
                    int want = look() ? HeldCheckMilliseconds : IdleHeldCheckMilliseconds;
                    if (want != _tickPeriod) ArmTick(_tickPeriod = want);
                }
            }
        }
    }

    // Whether poll set revents (the top 16 bits of a struct pollfd) for this entry.
    private static bool Ready(long pollfd) => (pollfd >> 48) != 0;

    /// <summary>How often the reader looks for real-time signals held for one guest thread while the guest would
    /// notice one late: it has a handler for one of them, or blocks one (to wait for it with sigtimedwait or a
    /// signalfd, or to find it pending).</summary>
    public const int HeldCheckMilliseconds = 20;

    /// <summary>How often otherwise, when such a signal could only kill the process (its default action). Each look
    /// costs the idle process a wake-up, about 0.1 ms of CPU time measured here, so the fast interval alone cost
    /// about 0.6 % of a core in every idle Ferry process.</summary>
    public const int IdleHeldCheckMilliseconds = 500;

    private static int _tickPeriod = IdleHeldCheckMilliseconds;

    private static void ArmTick(int milliseconds)
    {
        if (_tickFd < 0) return;
        long* spec = stackalloc long[4]; // struct itimerspec { interval; value; }, each { seconds; nanoseconds; }
        spec[0] = spec[2] = milliseconds / 1000;
        spec[1] = spec[3] = milliseconds % 1000 * 1_000_000L;
        LibC.TimerfdSettime(_tickFd, 0, spec, null);
    }

    /// <summary>The guest now would notice a late real-time signal held for one of its threads (it installed a
    /// handler for one, or blocked one): the reader looks at the fast interval from now on, not at its next look.</summary>
    public static void LookPromptly()
    {
        if (_tickFd < 0 || Volatile.Read(ref _tickPeriod) == HeldCheckMilliseconds) return;
        lock (Gate)
        {
            if (_tickFd < 0 || _tickPeriod == HeldCheckMilliseconds) return;
            _tickPeriod = HeldCheckMilliseconds;
            ArmTick(_tickPeriod);
        }
    }

    /// <summary>Whether host thread <paramref name="hostTid"/> has forwarded real-time signals in its own queue (sent to
    /// it alone, with tgkill), from its status file.</summary>
    public static bool ThreadHolds(int hostTid)
    {
        byte* path = stackalloc byte[48];
        int n = 0;
        foreach (char c in "/proc/self/task/") path[n++] = (byte)c;
        byte* digits = stackalloc byte[12];
        int d = 0;
        for (int v = hostTid; v > 0 || d == 0; v /= 10) digits[d++] = (byte)('0' + v % 10);
        while (d > 0) path[n++] = digits[--d];
        foreach (char c in "/status") path[n++] = (byte)c;
        path[n] = 0;
        return StatusField(path, "\nSigPnd:"u8, 16) is ulong pending && (pending & ReaderOnlyMask) != 0;
    }

    /// <summary>Whether any signal may be queued in any of this process's host threads: the count of queued signals
    /// that /proc charges to the user (all of its processes, so other processes' pending signals make this true too,
    /// which only costs the per-thread look). One file to read at each tick instead of one per thread.</summary>
    public static bool AnyQueued()
    {
        byte* path = stackalloc byte[24];
        int n = 0;
        foreach (char c in "/proc/self/status") path[n++] = (byte)c;
        path[n] = 0;
        return StatusField(path, "\nSigQ:"u8, 10) is not ulong queued || queued != 0;
    }

    // A number after the given key in a /proc status file, or null if it cannot be read. Raw calls into a stack buffer
    // rather than File.ReadLines: this runs at every tick, and should not feed the collector.
    private static ulong? StatusField(byte* path, ReadOnlySpan<byte> key, int radix)
    {
        int fd = LibC.OpenAt(-100 /* AT_FDCWD */, path, 0x80000 /* O_RDONLY|O_CLOEXEC */, 0);
        if (fd < 0) return null;
        const int size = 4096;
        byte* buf = stackalloc byte[size];
        long got = 0;
        while (got < size)
        {
            long r = LibC.Read(fd, buf + got, (nuint)(size - got));
            if (r <= 0) break;
            got += r;
        }
        LibC.Close(fd);
        var text = new ReadOnlySpan<byte>(buf, (int)got);
        int at = text.IndexOf(key);
        if (at < 0) return null;
        ulong value = 0;
        bool any = false;
        foreach (byte b in text[(at + key.Length)..])
        {
            if (!any && b is (byte)' ' or (byte)'\t') continue;
            int h = b is >= (byte)'0' and <= (byte)'9' ? b - '0' : radix == 16 && b is >= (byte)'a' and <= (byte)'f' ? b - 'a' + 10 : -1;
            if (h < 0) break;
            value = value * (ulong)radix + (uint)h;
            any = true;
        }
        return any ? value : null;
    }

    /// <summary>Makes every guest thread look at its signals at its next safe point or wake-up (<see cref="Poll"/>).</summary>
    public static void MarkArrived()
    {
        if (_readFd >= 0) Volatile.Write(ref *(int*)(_code + FlagOffset), 1);
    }

    // The real-time signals waiting in the host's queues, in the kernel's order (this thread's own first).
    private static void DequeueHeld()
    {
        if (_rtFd < 0) return;
        ulong* set = stackalloc ulong[16];
        new Span<ulong>(set, 16).Clear();
        set[0] = ReaderOnlyMask;
        byte* info = stackalloc byte[128];
        long* zero = stackalloc long[2];
        zero[0] = zero[1] = 0;
        // A thread takes its own queue first: a tgkill (SI_TKILL) found there was sent to this thread. The record
        // carries the taker in siginfo's padding, as the handler's do.
        int self = LibC.Gettid();
        // The raw call: glibc's sigtimedwait turns SI_TKILL into SI_USER, and the guest must see what was sent.
        while (LibC.Syscall5(HostRtSigtimedwait, (long)set, (long)info, (long)zero, 8, 0) > 0)
        {
            *(int*)(info + TidInRecord) = self;
            Hand(info);
        }
    }

    private static readonly long HostRtSigtimedwait = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 128 : 137;

    // Where a record keeps the host thread that took the signal: siginfo's padding before its union.
    private const int TidInRecord = 12;

    private static void Hand(byte* r)
    {
        if (*(int*)r == 17 && IsUnseenChild(*(int*)(r + 16)) && !OtherChildWaiting(r)) return;
        _sink?.Invoke(new HostSignal(*(int*)r, *(int*)(r + 8), *(int*)(r + 16), *(uint*)(r + 20), *(ulong*)(r + 24), *(int*)(r + TidInRecord)));
    }

    // Children a fork killed before the guest saw them (RuntimeQuiescence): their SIGCHLD is not the guest's. A pid
    // is forgotten once its signal came (which a real child's may have merged into), or when a fork returns a child
    // with the same pid again.
    private static readonly HashSet<int> UnseenChildren = [];

    /// <summary>A child that the guest never saw ended (a fork tried again): its SIGCHLD is dropped when it comes.
    /// The caller holds <see cref="Gate"/>.</summary>
    private static void ForgetChild(int pid) => UnseenChildren.Add(pid);

    private static bool IsUnseenChild(int pid) => UnseenChildren.Count > 0 && UnseenChildren.Remove(pid);

    // Standard signals do not queue: a real child's SIGCHLD that came while the unseen child's was pending merged
    // into it. If a child is waiting to be reaped, the guest gets the signal with that child's details instead.
    private static bool OtherChildWaiting(byte* r)
    {
        byte* info = stackalloc byte[128];
        new Span<byte>(info, 128).Clear();
        const int pAll = 0, wExited = 4, wStopped = 2, wContinued = 8, wNohang = 1, wNowait = 0x1000000;
        if (LibC.Waitid(pAll, 0, info, wExited | wStopped | wContinued | wNohang | wNowait) != 0 || *(int*)(info + 16) == 0)
            return false;
        int tid = *(int*)(r + TidInRecord);
        new Span<byte>(info, RecordSize).CopyTo(new Span<byte>(r, RecordSize));
        *(int*)(r + TidInRecord) = tid;
        return true;
    }

    // Every record is one write of RecordSize bytes (atomic for a pipe), so reads stay aligned to them.
    private static void DrainLocked(int fd)
    {
        byte* r = stackalloc byte[RecordSize];
        while (LibC.Read(fd, r, RecordSize) == RecordSize) Hand(r);
    }

    /// <summary>Hands the guest every forwarded signal that has reached the host so far (before its
    /// disposition changes, say: the host has already queued a SIGCHLD for a child the guest just reaped).</summary>
    public static void Drain()
    {
        if (_readFd < 0) return;
        lock (Gate)
        {
            DrainLocked(_readFd);
            DequeueHeld();
        }
    }

    /// <summary>In a forked child: a pipe of its own under the same descriptor numbers (the parent keeps
    /// reading the old one) and a new reader thread, since the parent's did not come along.</summary>
    /// <summary>True in a forked child, where no reader thread watches the pipe: waits must poll it.</summary>
    public static bool NoReader { get; private set; }

    public static void AfterFork()
    {
        // Monitors the parent's other threads waited on would still count them as waiters here.
        Gate = new object();
        UnseenChildren.Clear();
        if (_readFd < 0) return;
        NoReader = true;
        Replace(_readFd, _writeFd);
        // What arrived during the fork was the parent's.
        Replace(_holdReadFd, _holdWriteFd);
        Volatile.Write(ref *(int*)(_code + FdOffset), _writeFd);
        // Every thread takes every signal in the handler here (the forking thread is the only one so far).
        Volatile.Write(ref *(int*)(_code + ReaderTidOffset), 0);
        if (_rtFd >= 0) LibC.Close(_rtFd);
        _rtFd = -1;
        if (_tickFd >= 0) LibC.Close(_tickFd);
        _tickFd = -1;
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

    /// <summary>Forks the host process (see <see cref="RuntimeQuiescence"/>) with the forwarded signals held: those
    /// that arrive meanwhile wait in a pipe the reader does not watch, and go to the guest after the fork in the
    /// parent. Until the child has pipes of its own (<paramref name="inChild"/> calls <see cref="AfterFork"/>), a
    /// signal sent to it must wait too: its handler would still write to the parent's pipe (a `kill $!` right after
    /// `cmd &amp;` killed the shell). The SIGCHLD of a child the fork killed unseen is dropped. The caller holds
    /// <see cref="Gate"/>. Returns what <see cref="RuntimeQuiescence.Fork"/> does.</summary>
    public static int Fork(int maxMilliseconds, Action inChild)
    {
        HoldForFork();
        ulong mask = ForwardedMask, old;
        LibC.PthreadSigmask(0 /* SIG_BLOCK */, &mask, &old);
        int pid = RuntimeQuiescence.Fork(maxMilliseconds, ForgetChild);
        if (pid == 0)
        {
            inChild();
            old &= ~ReaderOnlyMask; // no reader thread here: this thread takes them all
        }
        else
        {
            if (pid > 0) UnseenChildren.Remove(pid);
            ReleaseAfterFork();
        }
        LibC.PthreadSigmask(2 /* SIG_SETMASK */, &old, null);
        return pid;
    }

    /// <summary>Before a fork: signals that arrive meanwhile go to a pipe the reader does not watch, so
    /// that nothing wakes the reader while the host process is copied.</summary>
    private static void HoldForFork()
    {
        if (_readFd < 0) return;
        Volatile.Write(ref *(int*)(_code + FdOffset), _holdWriteFd);
        ArmTick(0);
    }

    /// <summary>In the parent after a fork: back to the watched pipe, and the signals held meanwhile go to the
    /// guest (the caller holds <see cref="Gate"/>).</summary>
    private static void ReleaseAfterFork()
    {
        if (_readFd < 0) return;
        Volatile.Write(ref *(int*)(_code + FdOffset), _writeFd);
        ArmTick(_tickPeriod);
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
