namespace Ferry.Cpu;

/// <summary>Thrown by instruction semantics to raise a guest CPU exception. Faults leave RIP at the
/// faulting instruction; traps (INT3, INTO, single steps) leave it past the instruction.</summary>
public sealed class CpuException : Exception
{
    public CpuExceptionKind Kind { get; }
    /// <summary>The faulting data address, for page faults and alignment checks.</summary>
    public ulong Address { get; }
    /// <summary>Extra detail (the page fault's protection/write bits, the FP exception code).</summary>
    public int Code { get; }

    public CpuException(CpuExceptionKind kind, ulong address = 0, int code = 0)
        : base($"guest CPU exception {kind}")
    {
        Kind = kind; Address = address; Code = code;
    }

    public bool IsTrap => Kind is CpuExceptionKind.Breakpoint or CpuExceptionKind.Overflow or CpuExceptionKind.Debug;
}
