using Ferry.Cpu;
using Ferry.Host;
using Ferry.Linux.Elf;
using Ferry.Linux.Signals;
using Ferry.Linux.Syscalls;
using Ferry.Memory;
using Iced.Intel;

namespace Ferry.Linux;

/// <summary>The Linux personality of one guest process: its memory, descriptors, program break and
/// threads, and the loop that runs guest code and serves its system calls.</summary>
public sealed unsafe class LinuxProcess : IDisposable
{
    public GuestMemory Memory { get; }
    public Ferry.Interpreter.Interpreter Engine { get; }
    public Processor MainThread { get; }
    public FdTable Fds { get; } = new();
    public LoadedImage Image { get; }
    public LoadedImage? InterpreterImage { get; }
    /// <summary>The program path as the host sees it.</summary>
    public string ExecutablePath { get; }

    /// <summary>Start and current end of the program break.</summary>
    public ulong BrkStart { get; }
    public ulong Brk { get; set; }

    /// <summary>Where --strace output goes, or null.</summary>
    public TextWriter? Strace { get; init; }

    /// <summary>The process's futex wait queues.</summary>
    public Threads.FutexTable Futexes { get; } = new();

    /// <summary>Guest signal dispositions and mask.</summary>
    public Signals.SignalState Signals { get; } = new();

    /// <summary>The address set_tid_address registered (cleared and woken at thread exit).</summary>
    public ulong ClearChildTid { get; set; }

    /// <summary>The robust futex list head registered with set_robust_list.</summary>
    public ulong RobustList { get; set; }

    /// <summary>The comm name (PR_SET_NAME), at most 15 bytes.</summary>
    public byte[] ThreadName { get; set; } = Array.Empty<byte>();

    /// <summary>PR_SET_DUMPABLE.</summary>
    public bool Dumpable { get; set; } = true;

    /// <summary>Set when the process has ended.</summary>
    public ProcessExit? Exit { get; set; }

    private readonly HashSet<ulong> _reportedUnknown = new();

    private LinuxProcess(GuestMemory memory, LoadedImage image, LoadedImage? interp, string path)
    {
        Memory = memory;
        Engine = new Ferry.Interpreter.Interpreter(memory);
        MainThread = new Processor(memory);
        Image = image;
        InterpreterImage = interp;
        ExecutablePath = path;
        BrkStart = Brk = (image.End + PageMap.PageMask) & ~PageMap.PageMask;
        var name = System.Text.Encoding.UTF8.GetBytes(System.IO.Path.GetFileName(path));
        ThreadName = name.Length > 15 ? name[..15] : name;
    }

    /// <summary>Loads <paramref name="path"/> into a new guest address space, ready to run.</summary>
    /// <exception cref="ElfException">The file is not a runnable x86-64 program.</exception>
    public static LinuxProcess Load(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp, TextWriter? strace = null, CpuidModel? cpu = null)
    {
        var elf = ElfFile.Open(path);
        var memory = new GuestMemory();
        try
        {
            var image = ElfLoader.Load(memory, path, elf, ElfLoader.DynBase);
            LoadedImage? interp = null;
            if (elf.Interpreter != null)
            {
                if (!File.Exists(elf.Interpreter))
                    throw new ElfException($"ELF interpreter {elf.Interpreter} not found");
                var ielf = ElfFile.Open(elf.Interpreter);
                if (ielf.Interpreter != null) throw new ElfException("the ELF interpreter itself asks for an interpreter");
                interp = ElfLoader.Load(memory, elf.Interpreter, ielf, 0);
            }
            var proc = new LinuxProcess(memory, image, interp, path) { Strace = strace };
            if (cpu != null) proc.MainThread.Cpuid = cpu;
            ulong sp = InitialStack.Build(memory, image, interp, argv, envp, path,
                proc.MainThread.Cpuid.FeaturesEdx, elf.ExecutableStack);
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

    /// <summary>Runs the guest until it exits or is killed.</summary>
    public ProcessExit Run()
    {
        var cpu = MainThread;
        while (Exit == null)
        {
            var stop = Engine.Run(cpu);
            switch (stop)
            {
                case StopKind.Syscall:
                    DoSyscall(cpu);
                    if (Exit == null) DeliverPending(cpu);
                    break;
                case StopKind.Exception:
                    DeliverFault(cpu, OnException(cpu, cpu.Exception!));
                    break;
            }
        }
        return Exit.Value;
    }

    private void DoSyscall(Processor cpu)
    {
        ulong nr = cpu.State.Gpr[CpuState.Rax];
        var args = new SyscallArgs(cpu);
        var handler = SyscallTable.Get(nr);
        string? call = Strace != null ? StraceFormatter.Call(this, nr, args) : null;
        long r;
        if (handler == null)
        {
            r = -Errno.ENOSYS;
            if (Strace != null && _reportedUnknown.Add(nr))
                Strace.WriteLine($"[ferry] unknown system call {nr}, returning ENOSYS");
        }
        else r = handler(this, args);
        if (Strace != null)
        {
            Strace.WriteLine(Exit != null && handler != null ? $"{call} = ?" : $"{call} = {StraceFormatter.Result(r)}");
            Strace.Flush();
        }
        cpu.State.Gpr[CpuState.Rax] = (ulong)r;
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
    private void DeliverFault(Processor cpu, SignalInfo info)
    {
        int sig = info.Signo;
        var act = Signals[sig];
        bool blocked = (Signals.Blocked & Bit(sig)) != 0;
        if (act.Handler > SignalAction.Ignore && !blocked)
        {
            Deliver(cpu, sig, act, info);
            return;
        }
        Kill(sig);
    }

    private static ulong Bit(int sig) => 1UL << (sig - 1);

    /// <summary>Signals sent to the process and not yet delivered, with their siginfo; real-time signals
    /// (32 and up) queue every instance, standard ones at most one.</summary>
    private ulong _pending;
    private readonly Queue<SignalInfo>[] _pendingInfo = Enumerable.Range(0, SignalState.Count + 1).Select(_ => new Queue<SignalInfo>()).ToArray();

    /// <summary>The set of pending signals.</summary>
    public ulong PendingSignals => _pending;

    /// <summary>Marks a signal pending for the process; it is delivered at the next safe point where it is not blocked.</summary>
    public void Raise(SignalInfo info)
    {
        int sig = info.Signo;
        var act = Signals[sig];
        // A signal that is ignored is discarded at once unless blocked (then it stays pending in case the
        // disposition changes), as Linux does.
        bool blocked = (Signals.Blocked & Bit(sig)) != 0;
        if (!blocked && (act.Handler == SignalAction.Ignore || act.Handler == SignalAction.Default && SignalState.DefaultIgnores(sig)))
            return;
        if (sig < 32 && (_pending & Bit(sig)) != 0) return;
        _pending |= Bit(sig);
        _pendingInfo[sig].Enqueue(info);
    }

    /// <summary>Removes one pending instance of the lowest-numbered signal in <paramref name="set"/>, if any.</summary>
    public SignalInfo? Dequeue(ulong set)
    {
        ulong ready = _pending & set;
        if (ready == 0) return null;
        int sig = System.Numerics.BitOperations.TrailingZeroCount(ready) + 1;
        var info = _pendingInfo[sig].Dequeue();
        if (_pendingInfo[sig].Count == 0) _pending &= ~Bit(sig);
        return info;
    }

    /// <summary>Delivers every pending unblocked signal, lowest number first; each new frame goes on top of
    /// the last, so the highest-numbered handler runs first, as on Linux.</summary>
    public void DeliverPending(Processor cpu) => DeliverPending(cpu, Signals.Blocked);

    /// <summary>Delivers pending signals not in <paramref name="mask"/> (rt_sigsuspend's temporary mask); the
    /// frames record <see cref="SignalState.Blocked"/> as the mask to restore. Returns how many were delivered.</summary>
    public int DeliverPending(Processor cpu, ulong mask)
    {
        int delivered = 0;
        while (Exit == null)
        {
            var next = Dequeue(~mask);
            if (next == null) return delivered;
            var info = next.Value;
            int sig = info.Signo;
            var act = Signals[sig];
            if (act.Handler == SignalAction.Ignore) continue;
            if (act.Handler == SignalAction.Default)
            {
                if (SignalState.DefaultIgnores(sig) || SignalState.DefaultStops(sig)) continue;
                Kill(sig);
                return delivered;
            }
            Deliver(cpu, sig, act, info);
            delivered++;
            mask = Signals.Blocked;
        }
        return delivered;
    }

    private void Deliver(Processor cpu, int sig, SignalAction act, SignalInfo info)
    {
        ulong oldMask = Signals.Blocked;
        if (!SignalFrame.Push(cpu, Signals, act, info, oldMask))
        {
            // No room for the frame: Linux forces SIGSEGV.
            Kill(GuestSignal.SIGSEGV);
            return;
        }
        Signals.Blocked |= act.Mask | ((act.Flags & SignalAction.SaNoDefer) == 0 ? Bit(sig) : 0);
        Signals.Blocked &= ~(Bit(GuestSignal.SIGKILL) | Bit(GuestSignal.SIGSTOP));
        if ((act.Flags & SignalAction.SaResetHand) != 0) Signals[sig] = default;
    }

    /// <summary>Ends the process by <paramref name="sig"/>'s default action.</summary>
    public void Kill(int sig)
    {
        Strace?.WriteLine($"+++ killed by {GuestSignal.Name(sig)} +++");
        Strace?.Flush();
        Exit = ProcessExit.Killed(sig);
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
        Memory.Dispose();
    }
}
