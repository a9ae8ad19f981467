namespace Ferry.Cpu;

/// <summary>Why the execution engine handed control back to its host.</summary>
public enum StopKind
{
    None,
    /// <summary>The guest executed SYSCALL; RIP is past the instruction.</summary>
    Syscall,
    /// <summary>The guest executed INT 0x80, the i386 system call gate (which Linux with IA-32
    /// emulation opens to 64-bit processes too); RIP is past the instruction.</summary>
    Int80,
    /// <summary>The guest raised a CPU exception; see <see cref="Processor.Exception"/>.</summary>
    Exception,
    /// <summary>Another party asked the thread to stop at an instruction boundary.</summary>
    Interrupted,
}
