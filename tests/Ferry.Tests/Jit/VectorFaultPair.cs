using Ferry.Cpu;
using Ferry.Jit;
using Ferry.Tests.Oracle;
using Xunit;

namespace Ferry.Tests.Jit;

/// <summary>A snippet whose vector access faults, run on the interpreter and compiled from its first run: both
/// must leave the same fault and the same state as of the faulting instruction. The start state points R15 at
/// mapped scratch memory and RSI at an unmapped page, so a snippet picks its fault by the base it uses.</summary>
public sealed class VectorFaultPair : IDisposable
{
    private readonly NativeCpu _scratch = new();
    private readonly SnippetRunner _interp = new();
    private readonly SnippetRunner _jit = new(new JitOptions { Threshold = 1, RegionThreshold = 1 });

    public VectorFaultPair()
    {
        _interp.Share(_scratch.Scratch, NativeCpu.ScratchSize);
        _jit.Share(_scratch.Scratch, NativeCpu.ScratchSize);
    }

    public void Dispose()
    {
        _jit.Dispose();
        _interp.Dispose();
        _scratch.Dispose();
    }

    /// <summary>Runs <paramref name="code"/> both ways and checks that it raised <paramref name="kind"/> at the same
    /// place, with the same general registers and flags (and, with <paramref name="vectors"/>, vector registers).</summary>
    public void AssertSameFault(byte[] code, CpuExceptionKind kind, bool vectors)
    {
        var s = new CpuState();
        s.Reset();
        for (int g = 0; g < 16; g++) s.Gpr[g] = 0x1234_5678_9ABC_DEF0UL * (ulong)(g + 3);
        s.Gpr[CpuState.Rsp] = _scratch.Scratch + 0x3000;
        s.Gpr[CpuState.Rsi] = 0x7770;
        s.Gpr[15] = _scratch.Scratch + 0x1000;
        var si = s;
        var sj = s;
        var ei = _interp.Run(ref si, code);
        var ej = _jit.Run(ref sj, code);
        Assert.NotNull(ei);
        Assert.NotNull(ej);
        Assert.Equal(kind, ei!.Kind);
        Assert.Equal(ei.Kind, ej!.Kind);
        Assert.Equal(ei.Address, ej.Address);
        Assert.Equal(_interp.CodeEnd - si.Rip, _jit.CodeEnd - sj.Rip);
        for (int g = 0; g < 16; g++) Assert.Equal(si.Gpr[g], sj.Gpr[g]);
        Assert.Equal(si.Rflags, sj.Rflags);
        if (vectors) for (int q = 0; q < 64; q++) Assert.Equal(si.Vec[q], sj.Vec[q]);
        Assert.True(_jit.Engine.Jit!.CompiledBlocks > 0);
    }
}
