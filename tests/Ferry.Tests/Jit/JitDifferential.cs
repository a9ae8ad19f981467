using Ferry.Cpu;
using Ferry.Interpreter;
using Ferry.Jit;
using Ferry.Tests.Instructions;
using Ferry.Tests.Oracle;
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.Jit;

/// <summary>The three-way check of the integer forms the JIT compiles inline (JitIntegerOpsTests, JitBmiTests):
/// snippets compiled by the harness's JIT (threshold 1) against the host CPU (flags Iced calls undefined masked)
/// and against the interpreter exactly (every flag, undefined ones too, so <c>--verify-jit</c> and the tiers never
/// disagree), each run entering compiled code whose every instruction is inline (no handler fall-back).</summary>
public sealed class JitDifferential : IDisposable
{
    private readonly DifferentialHarness _h;
    private readonly SnippetRunner _interp = new();
    private int _entered, _withFallbacks;

    public JitDifferential(DifferentialHarness h)
    {
        _h = h;
        _interp.Share(_h.Native.Scratch, NativeCpu.ScratchSize);
        _h.Interpreter.Engine.Jit!.Entered = c =>
        {
            _entered++;
            if (c.InlineCount != c.Instructions.Length) _withFallbacks++;
        };
    }

    public void Dispose()
    {
        _h.Interpreter.Engine.Jit!.Entered = null;
        _interp.Dispose();
    }

    /// <summary>Where R15 (the memory operands' base) points.</summary>
    public ulong DataBase => _h.DataBase;

    private static readonly byte[] KillFlags = DifferentialHarness.Assemble(a => a.cmp(r15, r15));
    // A producer before the instruction whose flags nothing reads before the CMP after it: kept lazily, and
    // exact only if the instruction (a zero shift count, a BSF that keeps all but ZF) resolves the record.
    private static readonly byte[] LazyProducer = DifferentialHarness.Assemble(a => a.cmp(r15, rsp));

    /// <summary>Shapes a random start state towards the instruction's edge inputs; false when the case cannot run
    /// natively (a division that would fault).</summary>
    public delegate bool Shaper(in Instruction i, ref CpuState s, Random r, int n);

    /// <summary>Runs <paramref name="cases"/> instances of form <paramref name="name"/> (built by IntegerFormTests,
    /// register and memory operands alternating) with the flags live at the exit, dead (a CMP follows), after a
    /// producer whose flags only a fault could see (kept lazily), and after a producer whose flags the instruction
    /// partly keeps up to the exit. Returns how many ran with a register and with a memory operand.</summary>
    public (int Register, int Memory) MatchesHostCpuAndInterpreter(string name, int seed, int cases, Shaper shape)
    {
        var c = Enum.Parse<Code>(name);
        var r = new Random(TestSeed.For(IntegerFormTests.StableSeed(name) ^ seed));
        int reg = 0, mem = 0;
        for (int n = 0; n < cases * TestSeed.Scale; n++)
        {
            // Memory operands in every other case, shifted every fourth so that each flag situation gets both.
            bool memory = ((n + n / 4) & 1) == 1;
            var ins = IntegerFormTests.Build(c, r, memory) ?? IntegerFormTests.Build(c, r, !memory);
            if (ins is not { } i) continue;
            Assert.True(BlockTranslator.CanInline(i, Flags.Status), $"{i} is not inline");
            var s = _h.RandomState(r);
            if (!shape(i, ref s, r, n)) continue;
            var body = IntegerFormTests.Encode(i);
            byte[] code = (n % 4) switch
            {
                0 => body,
                1 => [.. body, .. KillFlags],
                2 => [.. LazyProducer, .. body, .. KillFlags],
                _ => [.. LazyProducer, .. body],
            };
            Check(code, s, n % 4 is 0 or 3 ? IntegerFormTests.Undefined(i) : 0, $"{i} ({name}), case {n} {TestSeed.Replay}");
            memory = false;
            for (int o = 0; o < i.OpCount; o++) memory |= i.GetOpKind(o) == OpKind.Memory;
            if (memory) mem++; else reg++;
        }
        return (reg, mem);
    }

    /// <summary>One case: <paramref name="code"/> compiled against the host CPU (<paramref name="undefined"/> flags
    /// masked) and the interpreter (exactly), run as compiled code with every instruction inline.</summary>
    public void Check(byte[] code, CpuState s, ulong undefined, string what)
    {
        int entered = _entered, withFallbacks = _withFallbacks;
        var diff = _h.Compare(code, s, undefined);
        Assert.True(diff == null, $"JIT against the host: {what}: {diff}\n{Describe(s)}");
        // A block RyuJIT rejected (InvalidProgramException) would have run in the interpreter, unseen.
        Assert.True(_entered > entered, $"{what}: the block did not run as compiled code");
        Assert.True(_withFallbacks == withFallbacks, $"{what}: compiled code called an interpreter handler");
        AgreesWithInterpreter(code, s, what);
    }

    public static string Describe(CpuState s)
    {
        var regs = new string[16];
        for (int g = 0; g < 16; g++) regs[g] = $"r{g}=0x{s.Gpr[g]:x}";
        return $"start: {string.Join(' ', regs)} flags=0x{s.Rflags:x}";
    }

    /// <summary>Sets operand <paramref name="op"/> (a register, or memory at [R15+disp]) of the start state.</summary>
    public unsafe void SetOperand(in Instruction i, int op, ref CpuState s, ulong v)
    {
        int size = Operands.Size(i, op);
        if (i.GetOpKind(op) == OpKind.Register)
        {
            var reg = i.GetOpRegister(op);
            int g = Operands.Index(reg);
            ulong mask = Flags.Mask(size);
            if (reg is Register.AH or Register.CH or Register.DH or Register.BH) s.Gpr[g] = (s.Gpr[g] & ~0xFF00UL) | (v & 0xFF) << 8;
            else s.Gpr[g] = (s.Gpr[g] & ~mask) | (v & mask);
            return;
        }
        byte* p = (byte*)(_h.DataBase + i.MemoryDisplacement64);
        for (int k = 0; k < size; k++) p[k] = (byte)(v >> (8 * k));
    }

    /// <summary>The JIT and the interpreter from the same state and memory: the same fault or none, and then
    /// every register, all of RFLAGS and the scratch memory alike.</summary>
    public unsafe void AgreesWithInterpreter(byte[] code, CpuState s, string what, CpuExceptionKind? fault = null)
    {
        var mem = new Span<byte>((void*)_h.Native.Scratch, NativeCpu.ScratchSize);
        var before = mem.ToArray();
        var sj = s;
        var ej = _h.Interpreter.Run(ref sj, code);
        var afterJit = mem.ToArray();
        before.CopyTo(mem);
        var si = s;
        var ei = _interp.Run(ref si, code);
        Assert.Equal(fault, ei?.Kind);
        Assert.True(ej?.Kind == ei?.Kind, $"{what}: JIT raised {ej?.Kind}, interpreter {ei?.Kind}");
        Assert.True(_h.Interpreter.CodeEnd - sj.Rip == _interp.CodeEnd - si.Rip, $"{what}: RIP differs");
        for (int g = 0; g < 16; g++)
            Assert.True(si.Gpr[g] == sj.Gpr[g], $"{what}: GPR{g}: interpreter 0x{si.Gpr[g]:x} JIT 0x{sj.Gpr[g]:x}\n{Describe(s)}");
        Assert.True(si.Rflags == sj.Rflags, $"{what}: RFLAGS: interpreter 0x{si.Rflags:x} JIT 0x{sj.Rflags:x}\n{Describe(s)}");
        Assert.True(mem.SequenceEqual(afterJit), $"{what}: memory differs");
    }

}
