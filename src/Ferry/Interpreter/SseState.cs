using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>MXCSR access, EMMS, fences, cache control and prefetch hints.</summary>
public static class SseState
{
    [Handles(Mnemonic.Ldmxcsr)]
    public static void Ldmxcsr(Processor p, in Instruction i)
    {
        uint v = p.Memory.Read32(Operands.Address(p, i));
        if ((v & ~MxcsrBits.Writable) != 0) throw new CpuException(CpuExceptionKind.GeneralProtection);
        p.State.Mxcsr = v;
    }

    [Handles(Mnemonic.Stmxcsr)]
    public static void Stmxcsr(Processor p, in Instruction i) => p.Memory.Write32(Operands.Address(p, i), p.State.Mxcsr);

    /// <summary>Empties every x87 register. The reference host (AMD Zen 3) also resets TOP to 0.</summary>
    [Handles(Mnemonic.Emms)]
    public static void Emms(Processor p, in Instruction i)
    {
        p.State.FpTop = 0;
        p.State.FpEmpty = 0xFF;
    }

    [Handles(Mnemonic.Mfence, Mnemonic.Lfence, Mnemonic.Sfence)]
    public static void Fence(Processor p, in Instruction i) => Interlocked.MemoryBarrier();

    /// <summary>Flushing needs no work (host caches are coherent), but the line must be accessible like a byte load.</summary>
    [Handles(Mnemonic.Clflush)]
    public static void Clflush(Processor p, in Instruction i) => p.Memory.Read8(Operands.Address(p, i));

    /// <summary>Prefetches are hints and never fault.</summary>
    [Handles(Mnemonic.Prefetchnta, Mnemonic.Prefetcht0, Mnemonic.Prefetcht1, Mnemonic.Prefetcht2, Mnemonic.Prefetchw, Mnemonic.Prefetch)]
    public static void Prefetch(Processor p, in Instruction i) { }
}
