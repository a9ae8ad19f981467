using Ferry.Cpu;
using Ferry.Host;
using Ferry.Linux.Elf;
using Ferry.Linux.Signals;
using Ferry.Linux.Syscalls;
using Ferry.Linux.Threads;
using System.Runtime.CompilerServices;
using Ferry.Memory;
using Iced.Intel;

namespace Ferry.Linux;

/// <summary>The Linux personality of one guest process: its memory, descriptors, program break and
/// threads, and the loop that runs guest code and serves its system calls. Each guest thread runs on a
/// host thread of its own; state the threads share is locked.</summary>
public sealed unsafe partial class LinuxProcess : IDisposable
{
    public GuestMemory Memory { get; }
    public Ferry.Interpreter.Interpreter Engine { get; }
    /// <summary>The processor of the main thread (the thread whose id is the process id).</summary>
    public Processor MainThread => _main.Cpu;
    public FdTable Fds { get; } = new();
    public LoadedImage Image { get; private set; }
    public LoadedImage? InterpreterImage { get; private set; }
    /// <summary>The program path as the host sees it.</summary>
    public string ExecutablePath { get; private set; }

    /// <summary>Start and current end of the program break.</summary>
    public ulong BrkStart { get; private set; }
    public ulong Brk { get; set; }

    /// <summary>Where the guest's absolute paths are looked up first (--sysroot), and what exec left on its stack.</summary>
    public Vfs.Sysroot Sysroot { get; init; } = Vfs.Sysroot.None;
    public InitialStackLayout? StackLayout { get; set; }

    /// <summary>Where --strace output goes, or null.</summary>
    public TextWriter? Strace { get; init; }

    /// <summary>Whether signals sent to the host process from outside reach the guest (the ferry command
    /// turns this on; an embedding program keeps its own signal handling).</summary>
    public bool ForwardHostSignals { get; init; }

    /// <summary>The process's futex wait queues.</summary>
    public Threads.FutexTable Futexes { get; private set; } = new();

    /// <summary>Guest signal dispositions, shared by all threads.</summary>
    public Signals.SignalState Signals { get; } = new();

    /// <summary>PR_SET_DUMPABLE.</summary>
    public bool Dumpable { get; set; } = true;

    private StrongBox<ProcessExit>? _exit;

    /// <summary>Set when the process has ended.</summary>
    public ProcessExit? Exit => Volatile.Read(ref _exit)?.Value;

    /// <summary>True in a process made by a guest fork (its host process is a copy of the emulator).</summary>
    public bool IsForkedChild { get; private set; }

    // Created with the first unknown call under --strace: a HashSet<ulong> is JIT-compiled code, not worth every start.
    private HashSet<ulong>? _reportedUnknown;

    private GuestThread _main;
    private readonly List<GuestThread> _threads = new();
    private object _threadsLock = new();
    private int _leaderExitCode;

    [ThreadStatic] private static GuestThread? t_current;
    [ThreadStatic] private static LinuxProcess? t_process;

    // Set at the first clone or fork: --strace then names the thread or process of every line.
    private volatile bool _traceIds;

    /// <summary>The guest thread the calling host thread runs (the main thread outside guest threads).</summary>
    public GuestThread CurrentThread => ReferenceEquals(t_process, this) && t_current is { } t ? t : _main;

    private LinuxProcess(GuestMemory memory, LoadedImage image, LoadedImage? interp, string path)
    {
        Memory = memory;
        memory.BusLock = this;
        Engine = new Ferry.Interpreter.Interpreter(memory);
        _main = new GuestThread(new Processor(memory), LibC.Getpid());
        _threads.Add(_main);
        Image = image;
        InterpreterImage = interp;
        ExecutablePath = path;
        BrkStart = Brk = (image.End + PageMap.PageMask) & ~PageMap.PageMask;
        _main.Name = CommName(path);
        // What the host process was started with ignored, the guest starts with ignored, as after execve.
        for (int sig = 1; sig <= SignalState.Count; sig++)
            if ((HostSignals.InheritedIgnored & (1UL << (sig - 1))) != 0)
                Signals[sig] = new SignalAction(SignalAction.Ignore, 0, 0, 0);
    }

    private static byte[] CommName(string path)
    {
        var name = System.Text.Encoding.UTF8.GetBytes(System.IO.Path.GetFileName(path));
        return name.Length > 15 ? name[..15] : name;
    }

    /// <summary>Loads the program and its interpreter into <paramref name="memory"/>.</summary>
    private static (LoadedImage Image, LoadedImage? Interp) LoadImages(GuestMemory memory, string path, ElfFile elf, Vfs.Sysroot? sysroot)
    {
        var image = ElfLoader.Load(memory, path, elf, ElfLoader.DynBase);
        LoadedImage? interp = null;
        if (elf.Interpreter != null)
        {
            // The interpreter is looked up in the sysroot first, as the guest's own opens are.
            string interpPath = sysroot?.ToHost(elf.Interpreter) ?? elf.Interpreter;
            if (!File.Exists(interpPath))
                throw new ElfException($"ELF interpreter {elf.Interpreter} not found");
            var ielf = ElfFile.Open(interpPath);
            if (ielf.Interpreter != null) throw new ElfException("the ELF interpreter itself asks for an interpreter");
            interp = ElfLoader.Load(memory, interpPath, ielf, 0);
        }
        return (image, interp);
    }

    /// <summary>Loads <paramref name="path"/> into a new guest address space, ready to run.</summary>
    /// <exception cref="ElfException">The file is not a runnable x86-64 program.</exception>
    /// <param name="path">The program file as the host names it.</param>
    /// <param name="argv">The guest's arguments.</param>
    /// <param name="envp">The guest's environment.</param>
    /// <param name="strace">Where --strace output goes, or null.</param>
    /// <param name="cpu">The CPU the guest sees, or null for the default.</param>
    /// <param name="sysroot">Where absolute guest paths are looked up first.</param>
    /// <param name="forwardHostSignals">Whether signals sent to the host process reach the guest.</param>
    /// <param name="execFn">The program's path as the guest names it (AT_EXECFN: without the sysroot
    /// prefix); null when it is <paramref name="path"/>.</param>
    public static LinuxProcess Load(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp, TextWriter? strace = null, CpuidModel? cpu = null, Vfs.Sysroot? sysroot = null, bool forwardHostSignals = false, string? execFn = null)
    {
        sysroot ??= Vfs.Sysroot.None;
        var elf = ElfFile.Open(path);
        Host.StartupTrace.Mark("ELF headers read");
        var memory = new GuestMemory();
        Host.StartupTrace.Mark("guest memory reserved");
        try
        {
            var (image, interp) = LoadImages(memory, path, elf, sysroot);
            Host.StartupTrace.Mark("ELF images mapped");
            var proc = new LinuxProcess(memory, image, interp, path) { Strace = strace, Sysroot = sysroot, ForwardHostSignals = forwardHostSignals };
            if (cpu != null) proc.MainThread.Cpuid = cpu;
            Host.StartupTrace.Mark("process and engine created");
            ulong sp = InitialStack.Build(memory, image, interp, argv, envp, execFn ?? path,
                proc.MainThread.Cpuid.FeaturesEdx, elf.ExecutableStack, proc.MainThread.Cpuid.Hwcap2);
            proc.StackLayout = InitialStack.Describe(memory, sp, path);
            Host.StartupTrace.Mark("initial stack and auxv");
            ref var s = ref proc.MainThread.State;
            s.Gpr[CpuState.Rsp] = sp;
            s.Rip = interp?.Entry ?? image.Entry;
            return proc;
        }
        catch
        {
            memory.Dispose();
            throw;
        }
    }

    private static LinuxProcess? s_forwardTarget;

    /// <summary>Runs the guest until it exits or is killed: the main thread on the calling host thread, and
    /// until every other guest thread has ended too.</summary>
    public ProcessExit Run()
    {
        HostSignals.InstallWake();
        if (ForwardHostSignals)
        {
            s_forwardTarget = this;
            HostSignals.Forward(static sig => s_forwardTarget?.RaiseFromHost(sig), static () => s_forwardTarget?.LookForHeld() ?? false);
        }
        _main.HostTid = LibC.Gettid();
        Host.StartupTrace.Mark("host signals set up");
        RunThread(_main);
        return Finish();
    }

    /// <summary>How a child that a guest thread other than Run's forked ends the host process: Run is not on
    /// any thread there, so nothing returns its exit to the caller. The ferry command sets its own ending; by
    /// default the host process leaves with the guest's status (128 + the signal for a killed guest).</summary>
    public static Action<ProcessExit>? ForkedChildExit { get; set; }

    // The end of a forked child whose only host thread is a spawned one (see ForkedChildExit).
    private void EndForkedChild()
    {
        var exit = Finish();
        ForkedChildExit?.Invoke(exit);
        Console.Out.Flush();
        Console.Error.Flush();
        LibC.Exit(exit.ShellStatus);
    }

    // After the main thread's run: the process lives while any thread does.
    private ProcessExit Finish()
    {
        lock (_threadsLock)
            while (_threads.Count > 0 && Exit == null) Monitor.Wait(_threadsLock, 200);
        EndOtherThreads(null);
        // What ended another thread in Ferry itself (a --verify-jit mismatch) reaches the caller as from the main
        // thread: the same report, not an unhandled exception on a thread of the runtime's.
        Volatile.Read(ref _failure)?.Throw();
        return Exit!.Value;
    }

    private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _failure;

    // A guest thread whose run ended in an exception of Ferry's: the process ends, and Run rethrows it.
    private void Fail(GuestThread t, Exception e)
    {
        Interlocked.CompareExchange(ref _failure, System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e), null);
        lock (_threadsLock)
        {
            _threads.Remove(t);
            t.Finished = true;
            Monitor.PulseAll(_threadsLock);
        }
        EndProcess(ProcessExit.Killed(6 /* SIGABRT */));
    }

    private void RunThread(GuestThread t)
    {
        t_current = t;
        t_process = this;
        var cpu = t.Cpu;
        if (ForwardHostSignals) cpu.StopWord = HostSignals.ArrivedFlag;
        SafePoint(t);
        while (!Ends(t))
        {
            StopKind stop;
            if (Engine.Jit is { Options.Verify: true })
            {
                Ferry.Jit.VerifyGate.Enter();
                try { stop = Engine.Run(cpu); }
                finally { Ferry.Jit.VerifyGate.Exit(); }
            }
            else stop = Engine.Run(cpu);
            if (Host.StartupTrace.Enabled && t == _main) Host.StartupTrace.MarkOnce("first guest stop (decoder, handlers)");
            switch (stop)
            {
                case StopKind.Syscall:
                    DoSyscall(t);
                    break;
                case StopKind.Int80:
                    DoInt80(t);
                    break;
                case StopKind.Exception:
                    if (TryVsyscall(t, cpu.Exception!, out var vsyscallFault))
                    {
                        if (vsyscallFault.Signo != 0) DeliverFault(t, vsyscallFault);
                        break;
                    }
                    DeliverFault(t, OnException(cpu, cpu.Exception!));
                    break;
            }
            SafePoint(t);
        }
        if (!t.Finished) EndThread(t, 0);
    }

    internal bool Ends(GuestThread t) => Exit != null || t.ExitRequested || t.Finished;

    /// <summary>The live thread with guest id <paramref name="tid"/>, or null.</summary>
    public GuestThread? FindThread(int tid)
    {
        lock (_threadsLock) return _threads.FirstOrDefault(x => x.Tid == tid && !x.Finished);
    }

    // The live guest thread that runs on host thread hostTid, or null. A loop, as it runs for signals from outside.
    private GuestThread? ThreadOnHost(int hostTid)
    {
        lock (_threadsLock)
            foreach (var x in _threads)
                if (x.HostTid == hostTid && !x.Finished) return x;
        return null;
    }

    /// <summary>Sleeps until <paramref name="ready"/> holds (re-checked whenever the thread is kicked) or until
    /// <paramref name="deadline"/>, a Stopwatch timestamp. Returns whether it holds.</summary>
    internal bool WaitUntil(GuestThread t, Func<bool> ready, long deadline)
    {
        lock (t.WaitLock)
        {
            while (true)
            {
                if (ForwardHostSignals) HostSignals.Poll();
                if (ready()) return true;
                long left = deadline == long.MaxValue ? long.MaxValue : deadline - System.Diagnostics.Stopwatch.GetTimestamp();
                if (left <= 0) return false;
                int ms = left == long.MaxValue ? Timeout.Infinite : (int)Math.Clamp(left * 1000 / System.Diagnostics.Stopwatch.Frequency + 1, 1, int.MaxValue);
                // Without a reader thread nothing pulses us when a host signal arrives: look now and then.
                if (HostSignals.NoReader && ForwardHostSignals) ms = ms == Timeout.Infinite ? PollMilliseconds : Math.Min(ms, PollMilliseconds);
                Monitor.Wait(t.WaitLock, ms);
            }
        }
    }

    private const int PollMilliseconds = 10;

    /// <summary>How long a blocking host call may wait before it looks at host signals again: without a reader thread
    /// (a forked child) a host signal that lands on another host thread wakes nobody.</summary>
    internal int WaitSliceMilliseconds => HostSignals.NoReader && ForwardHostSignals ? PollMilliseconds : Timeout.Infinite;

    /// <summary>Puts <paramref name="mask"/> in force for the wait of ppoll, pselect6 or epoll_pwait; the thread's own
    /// mask is kept in <see cref="GuestThread.SavedMask"/> until <see cref="RestoreSavedMask"/> or a handler's frame.</summary>
    internal void SetTemporaryMask(GuestThread t, ulong mask)
    {
        t.SavedMask = t.Blocked;
        t.Blocked = mask & ~(Bit(GuestSignal.SIGKILL) | Bit(GuestSignal.SIGSTOP));
        // The caller looks at the pending sets next, and Raise adds to them before it looks at the masks: with a
        // full fence on both sides, either this thread sees the signal or the sender sees the new mask and kicks it.
        Interlocked.MemoryBarrier();
    }

    /// <summary>Puts back the mask a temporary one replaced, if one did. Returns whether it did.</summary>
    internal bool RestoreSavedMask(GuestThread t)
    {
        if (t.SavedMask is not { } saved) return false;
        t.SavedMask = null;
        t.Blocked = saved;
        return true;
    }

    /// <summary>The futex wait of a guest thread: interrupted by signals, exits and stops of the world.</summary>
    internal long FutexWait(GuestThread t, ulong addr, uint expected, uint bitset, long? deadline) =>
        Futexes.Wait(Memory, addr, expected, bitset, deadline, t, () =>
        {
            if (ForwardHostSignals) HostSignals.Poll();
            return HasWork(t);
        }, HostSignals.NoReader && ForwardHostSignals ? PollMilliseconds : Timeout.Infinite);

    /// <summary>FUTEX_LOCK_PI and its kin for a guest thread, interrupted like a futex wait; an interrupted lock
    /// is restarted after the handler (the kernel's ERESTARTNOINTR), so the guest never sees EINTR.</summary>
    internal long FutexLockPi(GuestThread t, ulong addr, long? deadline, bool tryOnly)
    {
        long r = Futexes.LockPi(Memory, addr, t.Tid, deadline, tryOnly, t, () =>
        {
            if (ForwardHostSignals) HostSignals.Poll();
            return HasWork(t);
        }, HostSignals.NoReader && ForwardHostSignals ? PollMilliseconds : Timeout.Infinite);
        if (r != -Errno.EINTR) return r;
        t.Cpu.State.Rip -= 2;
        return (long)t.Cpu.State.Gpr[CpuState.Rax];
    }

    /// <summary>Wakes waiters on a futex word that Ferry itself released, private or shared.</summary>
    internal void WakeFutex(ulong addr, int count) => FutexCalls.WakeBoth(this, addr, count);

    /// <summary>Drops pending instances of the signals in <paramref name="set"/> everywhere (they became ignored).</summary>
    internal void DiscardPending(ulong set)
    {
        _pending.Discard(set);
        lock (_threadsLock) foreach (var x in _threads) x.Pending.Discard(set);
        PendingChanged();
    }

    /// <summary>Between blocks and after system calls: wait out another thread's fork or exec, then deliver
    /// signals.</summary>
    private void SafePoint(GuestThread t)
    {
        t.Cpu.InterruptRequested = false;
        if (ForwardHostSignals) HostSignals.Poll();
        if (_stopRequested && _stopper != t) Park(t);
        if (!Ends(t)) InterruptRestart(t);
        if (!Ends(t)) DeliverPending(t);
        // A masked wait that ended in EINTR without a handler (one that restarts, or whose signal another thread took)
        // gets its mask back here; signals the temporary mask held back may now be taken, and the call, if it is to be
        // restarted, runs again after their handlers, as on Linux.
        if (RestoreSavedMask(t) && !Ends(t) && Deliverable(t, t.Blocked) != 0)
        {
            t.RestartingCall = 0;
            DeliverPending(t);
        }
    }

    /// <summary>A signal that comes while Ferry restarts an interrupted call (between the host's EINTR and the call's
    /// next start) came, for the guest, while the call was blocked: it fails with EINTR unless the handlers let it
    /// restart, as if the signal had interrupted it in the host. Taking it "before the call" and then running the
    /// call again would leave a read blocked although its handler has no SA_RESTART.</summary>
    private void InterruptRestart(GuestThread t)
    {
        ulong call = t.RestartingCall;
        if (call == 0 || Deliverable(t, t.Blocked) == 0) return;
        t.RestartingCall = 0;
        t.Cpu.State.Rip += 2; // back after the SYSCALL the restart had pointed RIP at
        if (!Restarts(t, call - 1)) t.Cpu.State.Gpr[CpuState.Rax] = unchecked((ulong)-Errno.EINTR);
    }

    /// <summary>True when the thread has something to do besides running guest code: a signal to take,
    /// an exit, or another thread waiting for it to stop.</summary>
    internal bool HasWork(GuestThread t) => Ends(t) || _stopRequested && _stopper != t || Deliverable(t, t.Blocked) != 0;

    /// <summary>Pending signals not in <paramref name="mask"/> that would do something if delivered now.</summary>
    internal ulong Deliverable(GuestThread t, ulong mask)
    {
        ulong ready = (t.Pending.Set | _pending.Set) & ~mask;
        ulong r = 0;
        while (ready != 0)
        {
            int sig = System.Numerics.BitOperations.TrailingZeroCount(ready) + 1;
            ready &= ready - 1;
            if (!Signals.Discards(sig)) r |= Bit(sig);
        }
        return r;
    }

    // System calls that Linux never restarts after a handler ran (signal(7)): they fail with EINTR.
    // A pattern, not a HashSet<ulong>: that instantiation has no ReadyToRun form and was JIT-compiled at every start.
    private static bool NeverRestarted(ulong nr) => nr is 7 or 23 or 34 or 35 or 128 or 230 or 232 or 270 or 271 or 281 or 441;

    private void DoSyscall(GuestThread t)
    {
        var cpu = t.Cpu;
        ulong nr = cpu.State.Gpr[CpuState.Rax];
        Interlocked.Exchange(ref t.InSyscall, 1);
        if (ForwardHostSignals) HostSignals.Poll();
        if (t.RestartingCall != 0 && HasWork(t))
        {
            // The restart of an interrupted call has not reached the host yet: the signal interrupted that call.
            t.RestartingCall = 0;
            Volatile.Write(ref t.InSyscall, 0);
            if (!Restarts(t, nr)) cpu.State.Gpr[CpuState.Rax] = unchecked((ulong)-Errno.EINTR);
            return;
        }
        t.RestartingCall = 0;
        if (HasWork(t))
        {
            // Something arrived just before the call: take it first, then run the call (as if the signal had
            // come an instant earlier).
            Volatile.Write(ref t.InSyscall, 0);
            cpu.State.Rip -= 2;
            return;
        }
        var args = new SyscallArgs(cpu);
        var handler = SyscallTable.Get(nr);
        string? call = Strace != null ? StraceFormatter.Call(this, nr, args) : null;
        long r;
        if (handler == null)
        {
            r = -Errno.ENOSYS;
            if (Strace != null) lock (Strace) if ((_reportedUnknown ??= new()).Add(nr))
                Strace.WriteLine($"[ferry] unknown system call {nr}, returning ENOSYS");
        }
        else r = handler(this, args);
        Volatile.Write(ref t.InSyscall, 0);
        if (Strace != null)
        {
            lock (Strace)
            {
                // Like strace -f: once there are other threads or processes, each line says whose it is.
                string who = _traceIds ? $"[pid {t.Tid}] " : "";
                Strace.WriteLine(Ends(t) && handler != null ? $"{who}{call} = ?" : $"{who}{call} = {StraceFormatter.Result(r)}");
                Strace.Flush();
            }
        }
        // Drain, not Poll: in a forked child the handler that broke the call ran on this thread, but another thread
        // may have cleared the flag and be handing the signal over right now; the gate waits for it, so the
        // restart decision below sees the signal (a read must fail with EINTR, not restart).
        if (r == -Errno.EINTR && ForwardHostSignals) HostSignals.Drain();
        if (r == -Errno.EINTR && nr != 15 && nr != 130 && Restarts(t, nr))
        {
            t.RestartingCall = nr + 1;
            return;
        }
        if (r == -Errno.EPIPE && nr is 1 or 18 or 20 or 296 or 328)
            RaiseThread(t, new SignalInfo(GuestSignal.SIGPIPE, SignalInfo.SiUser, Pid: LibC.Getpid(), Uid: LibC.Getuid()));
        cpu.State.Gpr[CpuState.Rax] = (ulong)r;
    }

    /// <summary>A host call came back with EINTR because Ferry woke the thread: restarts it (RIP back on the
    /// SYSCALL, RAX the call number again) unless a handler is about to run and the call, or the handler's
    /// lack of SA_RESTART, says the guest must see EINTR.</summary>
    private bool Restarts(GuestThread t, ulong nr)
    {
        ulong ready = Deliverable(t, t.Blocked);
        bool handler = false, restart = true;
        while (ready != 0)
        {
            int sig = System.Numerics.BitOperations.TrailingZeroCount(ready) + 1;
            ready &= ready - 1;
            var act = Signals[sig];
            if (act.Handler <= SignalAction.Ignore) continue;
            handler = true;
            if ((act.Flags & SignalAction.SaRestart) == 0) restart = false;
        }
        if (handler && (!restart || NeverRestarted(nr))) return false;
        t.Cpu.State.Gpr[CpuState.Rax] = nr;
        t.Cpu.State.Rip -= 2;
        return true;
    }

    /// <summary>Maps a CPU exception to the signal Linux sends for it, with the siginfo and trap details.</summary>
    private SignalInfo OnException(Processor cpu, CpuException e)
    {
        ulong rip = cpu.State.Rip;
        var info = e.Kind switch
        {
            CpuExceptionKind.PageFault when (e.Code & Ferry.Interpreter.Interpreter.BusFlag) != 0 =>
                new SignalInfo(GuestSignal.SIGBUS, SignalInfo.BusAdrerr, e.Address, Trapno: 14, Error: (ulong)(4 | (e.Code & 3))),
            CpuExceptionKind.PageFault => new SignalInfo(GuestSignal.SIGSEGV, (e.Code & 1) != 0 ? SignalInfo.SegvAccerr : SignalInfo.SegvMaperr,
                e.Address, Trapno: 14, Error: (ulong)(4 | (e.Code & 3))),
            CpuExceptionKind.GeneralProtection => new SignalInfo(GuestSignal.SIGSEGV, SignalInfo.SiKernel, 0, Trapno: 13, Error: (ulong)e.Code),
            CpuExceptionKind.Overflow => new SignalInfo(GuestSignal.SIGSEGV, SignalInfo.SiKernel, 0, Trapno: 4),
            CpuExceptionKind.InvalidOpcode => new SignalInfo(GuestSignal.SIGILL, SignalInfo.IllIllopn, rip, Trapno: 6),
            CpuExceptionKind.DivideError => new SignalInfo(GuestSignal.SIGFPE, SignalInfo.FpeIntdiv, rip, Trapno: 0),
            CpuExceptionKind.Debug => new SignalInfo(GuestSignal.SIGTRAP,
                (e.Code & Ferry.Interpreter.Interpreter.SingleStepCause) != 0 ? SignalInfo.TrapTrace : SignalInfo.TrapBrkpt, rip, Trapno: 1),
            CpuExceptionKind.Breakpoint => new SignalInfo(GuestSignal.SIGTRAP, SignalInfo.SiKernel, 0, Trapno: 3),
            CpuExceptionKind.AlignmentCheck => new SignalInfo(GuestSignal.SIGBUS, SignalInfo.BusAdraln, e.Address, Trapno: 17),
            CpuExceptionKind.X87Error => new SignalInfo(GuestSignal.SIGFPE, e.Code, rip, Trapno: 16),
            _ => new SignalInfo(GuestSignal.SIGFPE, e.Code, rip, Trapno: 19),
        };
        if (e.Kind == CpuExceptionKind.InvalidOpcode) ReportUnimplemented(rip);
        Strace?.WriteLine($"--- {GuestSignal.Name(info.Signo)} {{si_signo={GuestSignal.Name(info.Signo)}, si_code={info.Code}, si_addr=0x{info.Address:x}}} ---");
        return info;
    }

    /// <summary>A synchronous fault: delivered to the guest's handler, or, when the signal is ignored,
    /// blocked or has no handler, the process dies of it (the kernel's force_sig).</summary>
    private void DeliverFault(GuestThread t, SignalInfo info)
    {
        int sig = info.Signo;
        var act = Signals[sig];
        bool blocked = (t.Blocked & Bit(sig)) != 0;
        if (act.Handler > SignalAction.Ignore && !blocked)
        {
            Deliver(t, sig, act, info);
            return;
        }
        Kill(sig);
    }

    private static ulong Bit(int sig) => 1UL << (sig - 1);

    /// <summary>Signals sent to the whole process and not yet taken by a thread.</summary>
    private SignalQueue _pending = new();

    /// <summary>The set of signals pending for the process or the calling thread.</summary>
    public ulong PendingSignals => _pending.Set | CurrentThread.Pending.Set;

    /// <summary>Marks a signal pending for the process; a thread that does not block it takes it at its next
    /// safe point, interrupted if need be. False when the signal was discarded (ignored) instead.</summary>
    public bool Raise(SignalInfo info)
    {
        int sig = info.Signo;
        GuestThread[] threads;
        lock (_threadsLock) threads = _threads.ToArray();
        // An ignored signal is discarded at once unless every thread blocks it (then it stays pending in
        // case the disposition changes), as Linux does.
        var target = threads.FirstOrDefault(x => (x.Blocked & Bit(sig)) == 0);
        if (target != null && Signals.Discards(sig)) return false;
        if (sig == GuestSignal.SIGKILL) { Kill(sig); return true; }
        _pending.Add(info);
        PendingChanged();
        // Looked at again after the signal is pending: a thread may have unblocked it meanwhile (a ppoll's temporary
        // mask) and found nothing yet, and would sleep on in its host call unkicked (see SetTemporaryMask).
        Interlocked.MemoryBarrier();
        target = threads.FirstOrDefault(x => (x.Blocked & Bit(sig)) == 0);
        if (target != null) Kick(target);
        // Threads in sigtimedwait wait for signals they block.
        foreach (var x in threads) if (x != target) Pulse(x);
        return true;
    }

    /// <summary>Marks a signal pending for one thread (tgkill, SIGPIPE). False when the signal was discarded
    /// (ignored) instead.</summary>
    public bool RaiseThread(GuestThread t, SignalInfo info)
    {
        int sig = info.Signo;
        if ((t.Blocked & Bit(sig)) == 0 && Signals.Discards(sig)) return false;
        if (sig == GuestSignal.SIGKILL) { Kill(sig); return true; }
        t.Pending.Add(info);
        PendingChanged();
        Kick(t);
        return true;
    }

    /// <summary>A signal sent to the host process from outside.</summary>
    private void RaiseFromHost(HostSignal sig)
    {
        if (Exit != null) return;
        // A SIGCHLD whose host siginfo did not say which child: look at the children (without reaping).
        var info = sig.Signo == GuestSignal.SIGCHLD && sig.Pid == 0 ? ChildInfo() : new SignalInfo(sig.Signo, sig.Code, Pid: sig.Pid, Uid: sig.Uid, Value: sig.Value);
        // tgkill and tkill from another process reach one host thread only, the guest thread of the same tid.
        if (sig.Code == SignalInfo.SiTkill && sig.Tid != 0 && ThreadOnHost(sig.Tid) is { } t) RaiseThread(t, info);
        else Raise(info);
    }

    /// <summary>On the signal reader, now and then: a guest thread whose host thread holds a real-time signal sent to
    /// it alone (tgkill from another process) is made to take it (<see cref="HostSignals.Poll"/> at its next safe
    /// point, or at once if it is in a blocking call). Returns whether the guest would notice such a signal late
    /// (<see cref="WantsHeldPromptly"/>).</summary>
    private bool LookForHeld()
    {
        if (Exit != null) return false;
        // This runs at every tick, so it allocates nothing unless it finds one: the threads are looked at under the lock (a status file
        // each), and kicked after it. With one thread the process-wide count would cost as much as that thread's file.
        int found = 0;
        bool prompt = WantsHeldPromptly();
        lock (_threadsLock)
        {
            if (_threads.Count > 1 && !HostSignals.AnyQueued()) return prompt;
            foreach (var t in _threads)
                if (!t.Finished && t.HostTid != 0 && HostSignals.ThreadHolds(t.HostTid))
                {
                    t.HoldsHostSignal = true;
                    found++;
                }
        }
        if (found == 0) return prompt;
        HostSignals.MarkArrived();
        GuestThread[] threads;
        lock (_threadsLock) threads = _threads.ToArray();
        foreach (var t in threads)
            if (t.HoldsHostSignal)
            {
                t.HoldsHostSignal = false;
                Kick(t);
            }
        return prompt;
    }

    /// <summary>Whether a forwarded real-time signal held in a guest thread's host queue would be noticed late: one
    /// has a handler, or a thread blocks one (to wait for it, or to find it pending). Otherwise such a signal could
    /// only kill the process, and the reader looks less often.</summary>
    internal bool WantsHeldPromptly()
    {
        ulong rt = HostSignals.ReaderOnlyMask;
        for (int sig = 35; sig <= SignalState.Count; sig++)
            if ((rt & Bit(sig)) != 0 && Signals[sig].Handler > SignalAction.Ignore) return true;
        lock (_threadsLock)
            foreach (var t in _threads)
                if ((t.Blocked & rt) != 0) return true;
        return false;
    }

    /// <summary>Gets <paramref name="t"/> to a safe point soon: out of guest code at the next block boundary,
    /// out of Ferry's own waits, and out of a blocking host call with the wake-up signal.</summary>
    internal void Kick(GuestThread t)
    {
        t.Cpu.InterruptRequested = true;
        Pulse(t);
        if (t != t_current && Volatile.Read(ref t.InSyscall) != 0 && t.HostTid != 0)
        {
            HostSignals.WakeThread(t.HostTid);
            EnsureKicker();
        }
    }

    private static void Pulse(GuestThread t)
    {
        lock (t.WaitLock) Monitor.PulseAll(t.WaitLock);
        if (t.Waiter is { } w) lock (w) Monitor.PulseAll(w);
    }

    /// <summary>Removes one pending instance of the lowest-numbered signal in <paramref name="set"/>: the
    /// thread's own first, then the process's.</summary>
    public SignalInfo? Dequeue(GuestThread t, ulong set)
    {
        while (true)
        {
            var info = t.Pending.Take(set) ?? _pending.Take(set);
            if (info == null) return null;
            if (Dequeued(info.Value) is { } taken) return taken;
        }
    }

    /// <summary>Delivers every pending unblocked signal, lowest number first; each new frame goes on top of
    /// the last, so the highest-numbered handler runs first, as on Linux.</summary>
    public void DeliverPending(GuestThread t) => DeliverPending(t, t.Blocked);

    /// <summary>Delivers pending signals not in <paramref name="mask"/>, then not in the mask each handler set up; the
    /// first frame records the mask a masked wait replaced (<see cref="GuestThread.SavedMask"/>), if one did, or else
    /// <see cref="GuestThread.Blocked"/>, as the mask to restore. Returns how many were delivered.</summary>
    public int DeliverPending(GuestThread t, ulong mask)
    {
        int delivered = 0;
        while (Exit == null)
        {
            if (((t.Pending.Set | _pending.Set) & ~mask) == 0) return delivered;
            var next = Dequeue(t, ~mask);
            if (next == null) return delivered;
            var info = next.Value;
            int sig = info.Signo;
            var act = Signals[sig];
            if (act.Handler == SignalAction.Ignore) continue;
            if (act.Handler == SignalAction.Default)
            {
                if (SignalState.DefaultIgnores(sig)) continue;
                if (SignalState.DefaultStops(sig))
                {
                    // The whole host process stops, as the guest would; SIGCONT from outside resumes it.
                    LibC.Kill(LibC.Getpid(), GuestSignal.SIGSTOP);
                    continue;
                }
                Kill(sig);
                return delivered;
            }
            Deliver(t, sig, act, info);
            delivered++;
            mask = t.Blocked;
        }
        return delivered;
    }

    private void Deliver(GuestThread t, int sig, SignalAction act, SignalInfo info)
    {
        // After a masked wait the handler runs with the wait's mask as its base, and returns to the one the wait
        // replaced (Linux's sigmask_to_save).
        ulong current = t.Blocked, oldMask = t.SavedMask ?? current;
        t.SavedMask = null;
        if (!SignalFrame.Push(t.Cpu, t, act, info, oldMask))
        {
            // No room for the frame: Linux forces SIGSEGV.
            t.Blocked = oldMask;
            Kill(GuestSignal.SIGSEGV);
            return;
        }
        ulong m = current | act.Mask | ((act.Flags & SignalAction.SaNoDefer) == 0 ? Bit(sig) : 0);
        t.Blocked = m & ~(Bit(GuestSignal.SIGKILL) | Bit(GuestSignal.SIGSTOP));
        if ((act.Flags & SignalAction.SaResetHand) != 0) Signals[sig] = default;
    }

    /// <summary>Ends the process by <paramref name="sig"/>'s default action.</summary>
    public void Kill(int sig)
    {
        if (Exit != null) return;
        Strace?.WriteLine($"+++ killed by {GuestSignal.Name(sig)} +++");
        Strace?.Flush();
        EndProcess(ProcessExit.Killed(sig));
    }

    /// <summary>exit_group, or a fatal signal: the first reason wins, and every thread is told to stop.</summary>
    public void EndProcess(ProcessExit exit)
    {
        if (Interlocked.CompareExchange(ref _exit, new StrongBox<ProcessExit>(exit), null) != null) return;
        KickAll();
    }

    private void KickAll()
    {
        GuestThread[] threads;
        lock (_threadsLock) threads = _threads.ToArray();
        foreach (var x in threads) Kick(x);
        lock (_threadsLock) Monitor.PulseAll(_threadsLock);
    }

    /// <summary>The end of one thread: CLONE_CHILD_CLEARTID's word is zeroed and woken (pthread_join waits on
    /// it); the last thread to go ends the process with the main thread's status.</summary>
    internal void EndThread(GuestThread t, int code)
    {
        if (t.Finished) return;
        RobustList.Release(this, t);
        bool last;
        lock (_threadsLock)
        {
            if (t == _main) _leaderExitCode = code;
            _threads.Remove(t);
            t.Finished = true;
            last = _threads.Count == 0;
            Monitor.PulseAll(_threadsLock);
        }
        // The thread leaves the thread list before its joiner wakes, so what pthread_join's caller then reads
        // (/proc's Threads:, num_threads, task/) no longer counts it, as on Linux, where the window is tiny.
        ulong ctid = t.ClearChildTid;
        if (ctid != 0 && Exit == null && Memory.CanAccess(ctid, 4, PageFlags.Write))
        {
            Memory.Write32(ctid, 0);
            WakeFutex(ctid, 1);
        }
        if (last) EndProcess(ProcessExit.Exited(_leaderExitCode));
        lock (_world) Monitor.PulseAll(_world);
    }

    // A real #UD (UD2, bytes that do not decode) is the guest's business; an instruction that decodes
    // but that Ferry does not implement is Ferry's, and the user is told which.
    private void ReportUnimplemented(ulong rip)
    {
        var bytes = new byte[15];
        int n = 0;
        for (; n < 15 && Memory.CanExecute(rip + (ulong)n); n++) bytes[n] = Memory.FetchByte(rip + (ulong)n);
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(bytes, 0, n), rip);
        decoder.Decode(out var ins);
        if (ins.Code == Code.INVALID || Ferry.Interpreter.HandlerTable.IsImplemented(ins.Code)) return;
        string hex = string.Join(' ', bytes.Take(ins.Length).Select(b => b.ToString("x2")));
        var msg = $"ferry: unimplemented instruction at 0x{rip:x}: {hex} ({ins}); the guest gets SIGILL";
        if (Strace != null) Strace.WriteLine(msg);
        else Console.Error.WriteLine(msg);
    }

    public void Dispose()
    {
        _disposed = true;
        if (ReferenceEquals(s_forwardTarget, this)) s_forwardTarget = null;
        Memory.Dispose();
    }
}
