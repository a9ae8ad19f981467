using Ferry.Cpu;
using Ferry.Jit;
using Ferry.Tests.Oracle;
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.Jit;

/// <summary>Flags kept lazily (see <c>LazyFlags</c>): a producer whose flags only a possible fault could
/// observe records its operands instead of computing them, so the state at a fault must still carry its exact
/// flags, as the interpreter leaves them, for every producer kind and size and wherever the fault is (the same
/// block, a later block of the region, after an INC that merges into them).</summary>
public sealed class JitLazyFlagsTests : IDisposable
{
    private readonly NativeCpu _scratch = new();
    private readonly SnippetRunner _interp = new();
    private readonly SnippetRunner _jit = new(new JitOptions { Threshold = 1, RegionThreshold = 1 });

    public JitLazyFlagsTests()
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

    public static TheoryData<string, int> Producers()
    {
        var d = new TheoryData<string, int>();
        foreach (var m in new[] { "add", "sub", "cmp", "and", "or", "xor", "test", "neg" })
            foreach (var size in new[] { 1, 2, 4, 8 })
                d.Add(m, size);
        return d;
    }

    private static void Produce(Assembler a, string m, int size)
    {
        AssemblerRegister8 b8 = al, c8 = bl;
        AssemblerRegister16 b16 = ax, c16 = bx;
        AssemblerRegister32 b32 = eax, c32 = ebx;
        AssemblerRegister64 b64 = rax, c64 = rbx;
        switch (size)
        {
            case 1:
                switch (m)
                {
                    case "add": a.add(b8, c8); break;
                    case "sub": a.sub(b8, c8); break;
                    case "cmp": a.cmp(b8, c8); break;
                    case "and": a.and(b8, c8); break;
                    case "or": a.or(b8, c8); break;
                    case "xor": a.xor(b8, c8); break;
                    case "test": a.test(b8, c8); break;
                    default: a.neg(b8); break;
                }
                break;
            case 2:
                switch (m)
                {
                    case "add": a.add(b16, c16); break;
                    case "sub": a.sub(b16, c16); break;
                    case "cmp": a.cmp(b16, c16); break;
                    case "and": a.and(b16, c16); break;
                    case "or": a.or(b16, c16); break;
                    case "xor": a.xor(b16, c16); break;
                    case "test": a.test(b16, c16); break;
                    default: a.neg(b16); break;
                }
                break;
            case 4:
                switch (m)
                {
                    case "add": a.add(b32, c32); break;
                    case "sub": a.sub(b32, c32); break;
                    case "cmp": a.cmp(b32, c32); break;
                    case "and": a.and(b32, c32); break;
                    case "or": a.or(b32, c32); break;
                    case "xor": a.xor(b32, c32); break;
                    case "test": a.test(b32, c32); break;
                    default: a.neg(b32); break;
                }
                break;
            default:
                switch (m)
                {
                    case "add": a.add(b64, c64); break;
                    case "sub": a.sub(b64, c64); break;
                    case "cmp": a.cmp(b64, c64); break;
                    case "and": a.and(b64, c64); break;
                    case "or": a.or(b64, c64); break;
                    case "xor": a.xor(b64, c64); break;
                    case "test": a.test(b64, c64); break;
                    default: a.neg(b64); break;
                }
                break;
        }
    }

    /// <summary>The producer, then a load that faults (RSI unmapped) before the flags are replaced.</summary>
    [Theory, MemberData(nameof(Producers))]
    public void FaultInTheSameBlockSeesTheProducersFlags(string m, int size) => Check(m, size, a =>
    {
        Produce(a, m, size);
        a.mov(rcx, __qword_ptr[r15 + 8]); // succeeds
        a.mov(rdx, __qword_ptr[rsi]);     // faults
        a.cmp(r15, r15);                  // replaces every flag: nothing reads the producer's but the fault
    });

    /// <summary>The producer ends its block; the fault is in the next block of the region.</summary>
    [Theory, MemberData(nameof(Producers))]
    public void FaultInALaterBlockOfTheRegion(string m, int size) => Check(m, size, a =>
    {
        var next = a.CreateLabel();
        Produce(a, m, size);
        a.jmp(next);
        a.int3();
        a.Label(ref next);
        a.mov(rdx, __qword_ptr[rsi]);
        a.cmp(r15, r15);
    });

    /// <summary>INC keeps CF, which comes from the lazily kept producer.</summary>
    [Theory, MemberData(nameof(Producers))]
    public void IncMergesIntoTheProducersFlags(string m, int size) => Check(m, size, a =>
    {
        Produce(a, m, size);
        a.mov(rcx, __qword_ptr[r15 + 8]);
        a.inc(rdi);
        a.mov(rdx, __qword_ptr[rsi]);
        a.cmp(r15, r15);
    });

    /// <summary>A page-crossing load takes the full path and completes (the flags are computed there); a
    /// later fault must still see them.</summary>
    [Theory, MemberData(nameof(Producers))]
    public void FaultAfterACompletedSlowAccess(string m, int size) => Check(m, size, a =>
    {
        Produce(a, m, size);
        a.mov(rcx, __qword_ptr[r15 + 0xFFC]);
        a.add(rcx, 1);
        a.mov(rdx, __qword_ptr[rsi]);
        a.cmp(r15, r15);
    });

    private void Check(string m, int size, Action<Assembler> emit)
    {
        var code = DifferentialHarness.Assemble(emit);
        var r = new Random(Instructions.IntegerFormTests.StableSeed($"{m}{size}"));
        for (int n = 0; n < 12; n++)
        {
            var s = new CpuState();
            s.Reset();
            for (int g = 0; g < 16; g++) s.Gpr[g] = DifferentialHarness.RandomValue(r);
            if (n % 3 == 0) s.Gpr[CpuState.Rbx] = s.Gpr[CpuState.Rax]; // equal operands: ZF, and a zero result
            s.Gpr[CpuState.Rsp] = _scratch.Scratch + 0x3000;
            s.Gpr[CpuState.Rsi] = 0x7770 + (ulong)n;
            s.Gpr[15] = _scratch.Scratch + 0x1000;
            s.Rflags = Flags.Reserved1 | Flags.IF | ((ulong)r.Next() & Flags.Status);
            var si = s;
            var sj = s;
            var ei = _interp.Run(ref si, code);
            var ej = _jit.Run(ref sj, code);
            Assert.NotNull(ei);
            Assert.NotNull(ej);
            Assert.Equal(CpuExceptionKind.PageFault, ej!.Kind);
            Assert.Equal(ei!.Address, ej.Address);
            Assert.Equal(_interp.CodeEnd - si.Rip, _jit.CodeEnd - sj.Rip);
            for (int g = 0; g < 16; g++) Assert.True(si.Gpr[g] == sj.Gpr[g], $"{m}{size} case {n}: GPR{g}: interpreter 0x{si.Gpr[g]:x} jit 0x{sj.Gpr[g]:x}");
            Assert.True(si.Rflags == sj.Rflags, $"{m}{size} case {n}: RFLAGS interpreter 0x{si.Rflags:x} jit 0x{sj.Rflags:x}");
        }
        Assert.True(_jit.Engine.Jit!.CompiledBlocks > 0);
    }
}
