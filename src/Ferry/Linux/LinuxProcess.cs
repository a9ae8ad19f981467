using Ferry.Cpu;
using Ferry.Host;
using Ferry.Linux.Elf;
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
    public static LinuxProcess Load(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp, TextWriter? strace = null)
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
                    break;
                case StopKind.Exception:
                    Exit = ProcessExit.Killed(OnException(cpu, cpu.Exception!));
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

    /// <summary>Maps a CPU exception to the signal Linux would send; with no guest handlers yet, the
    /// signal's default action ends the process.</summary>
    private int OnException(Processor cpu, CpuException e)
    {
        ulong rip = cpu.State.Rip;
        (int sig, string code) = e.Kind switch
        {
            CpuExceptionKind.PageFault => (GuestSignal.SIGSEGV, (e.Code & 1) != 0 ? "SEGV_ACCERR" : "SEGV_MAPERR"),
            CpuExceptionKind.GeneralProtection => (GuestSignal.SIGSEGV, "SI_KERNEL"),
            CpuExceptionKind.InvalidOpcode => (GuestSignal.SIGILL, "ILL_ILLOPN"),
            CpuExceptionKind.DivideError => (GuestSignal.SIGFPE, "FPE_INTDIV"),
            CpuExceptionKind.Breakpoint => (GuestSignal.SIGTRAP, "SI_KERNEL"),
            CpuExceptionKind.AlignmentCheck => (GuestSignal.SIGBUS, "BUS_ADRALN"),
            _ => (GuestSignal.SIGFPE, "FPE_FLTINV"),
        };
        if (e.Kind == CpuExceptionKind.InvalidOpcode) ReportUnimplemented(rip);
        Strace?.WriteLine($"--- {GuestSignal.Name(sig)} {{si_signo={GuestSignal.Name(sig)}, si_code={code}, si_addr=0x{(e.Kind == CpuExceptionKind.PageFault ? e.Address : rip):x}}} ---");
        Strace?.WriteLine($"+++ killed by {GuestSignal.Name(sig)} +++");
        Strace?.Flush();
        return sig;
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
