namespace Ferry.Linux.Signals;

/// <summary>The facts a signal carries into its handler's siginfo and ucontext.</summary>
public readonly record struct SignalInfo(int Signo, int Code, ulong Address = 0, int Pid = 0, uint Uid = 0,
    int Trapno = 0, ulong Error = 0, ulong Value = 0)
{
    public const int SiUser = 0, SiKernel = 0x80, SiQueue = -1, SiTkill = -6;
    public const int SegvMaperr = 1, SegvAccerr = 2, IllIllopn = 2, FpeIntdiv = 1, BusAdraln = 1, BusAdrerr = 2, TrapBrkpt = 1, TrapTrace = 2;
    /// <summary>For faults: the x86 trap number and error code the kernel records in the ucontext.</summary>
    public bool IsFault => Trapno != 0 || Signo is GuestSignal.SIGSEGV or GuestSignal.SIGILL or GuestSignal.SIGFPE or GuestSignal.SIGBUS;
}
