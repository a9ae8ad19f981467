using Ferry.Cpu;
using Ferry.Interpreter;
using Ferry.Tests.Oracle;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Instructions;

/// <summary>Every implemented general-purpose form that a snippet can run safely, built from Iced's
/// operand table rather than by hand: random registers (never RSP or R15), memory at [R15+disp] inside
/// the scratch area, random immediates; flags Iced's tables call undefined for the form are masked.
/// Complements <see cref="IntegerDifferentialTests"/>, whose hand-made cases cover the forms that need
/// special set-up (division, strings, bit tests into memory, stack frames, flags images).</summary>
public sealed class IntegerFormTests : IClassFixture<IntegerDifferentialTests.Fixture>
{
    private readonly DifferentialHarness _h;
    public IntegerFormTests(IntegerDifferentialTests.Fixture f) => _h = f.H;

    private static readonly CpuidFeature[] Integer =
    [
        CpuidFeature.INTEL8086, CpuidFeature.INTEL186, CpuidFeature.INTEL286, CpuidFeature.INTEL386, CpuidFeature.INTEL486,
        CpuidFeature.X64, CpuidFeature.CMOV, CpuidFeature.BMI1, CpuidFeature.BMI2, CpuidFeature.ADX, CpuidFeature.LZCNT,
        CpuidFeature.POPCNT, CpuidFeature.MOVBE, CpuidFeature.CX8, CpuidFeature.PAUSE, CpuidFeature.MULTIBYTENOP,
        CpuidFeature.PREFETCHW, CpuidFeature.CLFSH,
    ];

    // Forms whose inputs must be shaped (or that cannot run in a snippet at all); the hand-made cases
    // in IntegerDifferentialTests and the guest programs cover them.
    private static readonly HashSet<Mnemonic> Excluded =
    [
        Mnemonic.Div, Mnemonic.Idiv, Mnemonic.Cpuid, Mnemonic.Rdtsc, Mnemonic.Rdtscp, Mnemonic.Popf, Mnemonic.Popfq,
        Mnemonic.Std, Mnemonic.Leave, Mnemonic.Enter, Mnemonic.Xlatb, Mnemonic.Bt, Mnemonic.Bts, Mnemonic.Btr, Mnemonic.Btc,
        Mnemonic.Cmpxchg16b, Mnemonic.Hlt, Mnemonic.Cli, Mnemonic.Sti, Mnemonic.Ud0, Mnemonic.Ud1, Mnemonic.Ud2,
        Mnemonic.Syscall, Mnemonic.Int, Mnemonic.Int1, Mnemonic.Int3, Mnemonic.Pushf, Mnemonic.Pushfq,
        // Loading a segment register or base in the test process would take its thread pointer away; the
        // bases it reads are the test process's own; LSL of the per-CPU segment gives the CPU it runs on.
        // tests/guest/segments_umip.c compares these with native runs instead.
        Mnemonic.Lfs, Mnemonic.Lgs, Mnemonic.Lss, Mnemonic.Rdfsbase, Mnemonic.Rdgsbase, Mnemonic.Wrfsbase, Mnemonic.Wrgsbase,
        Mnemonic.Lsl,
    ];

    private static readonly HashSet<Code> ExcludedCodes =
    [
        Code.Mov_Sreg_rm16, Code.Mov_Sreg_r32m16, Code.Mov_Sreg_r64m16, Code.Mov_rm16_Sreg, Code.Mov_r32m16_Sreg, Code.Mov_r64m16_Sreg,
        Code.Popw_FS, Code.Popq_FS, Code.Popw_GS, Code.Popq_GS, Code.Pushw_FS, Code.Pushq_FS, Code.Pushw_GS, Code.Pushq_GS,
    ];

    private static readonly Register[] Gpr8 =
    [
        Register.AL, Register.CL, Register.DL, Register.BL, Register.AH, Register.CH, Register.DH, Register.BH,
        Register.BPL, Register.SIL, Register.DIL, Register.R8L, Register.R9L, Register.R10L, Register.R11L, Register.R12L,
        Register.R13L, Register.R14L,
    ];

    private static Register Gpr(Random r, Register first)
    {
        int g = r.Next(14);
        if (g >= CpuState.Rsp) g++;
        return first + g; // 0–14 without RSP: R15 (the memory base) is never chosen
    }

    private static object? Operand(OpCodeOperandKind kind, Random r, bool mem, int disp) => kind switch
    {
        OpCodeOperandKind.r8_reg or OpCodeOperandKind.r8_opcode => Gpr8[r.Next(Gpr8.Length)],
        OpCodeOperandKind.r16_reg or OpCodeOperandKind.r16_rm or OpCodeOperandKind.r16_opcode => Gpr(r, Register.AX),
        OpCodeOperandKind.r32_reg or OpCodeOperandKind.r32_rm or OpCodeOperandKind.r32_opcode or OpCodeOperandKind.r32_vvvv => Gpr(r, Register.EAX),
        OpCodeOperandKind.r64_reg or OpCodeOperandKind.r64_rm or OpCodeOperandKind.r64_opcode or OpCodeOperandKind.r64_vvvv => Gpr(r, Register.RAX),
        OpCodeOperandKind.r8_or_mem => mem ? new MemoryOperand(Register.R15, disp) : Gpr8[r.Next(Gpr8.Length)],
        OpCodeOperandKind.r16_or_mem => mem ? new MemoryOperand(Register.R15, disp) : Gpr(r, Register.AX),
        OpCodeOperandKind.r32_or_mem => mem ? new MemoryOperand(Register.R15, disp) : Gpr(r, Register.EAX),
        OpCodeOperandKind.r64_or_mem => mem ? new MemoryOperand(Register.R15, disp) : Gpr(r, Register.RAX),
        OpCodeOperandKind.mem => new MemoryOperand(Register.R15, disp),
        OpCodeOperandKind.al => Register.AL,
        OpCodeOperandKind.ax => Register.AX,
        OpCodeOperandKind.eax => Register.EAX,
        OpCodeOperandKind.rax => Register.RAX,
        OpCodeOperandKind.cl => Register.CL,
        OpCodeOperandKind.imm8 or OpCodeOperandKind.imm8sex16 or OpCodeOperandKind.imm8sex32 or OpCodeOperandKind.imm8sex64 =>
            r.Next(4) == 0 ? r.Next(0, 70) : r.Next(-128, 128),
        OpCodeOperandKind.imm16 => r.Next(-32768, 32768),
        OpCodeOperandKind.imm32 or OpCodeOperandKind.imm32sex64 => (int)DifferentialHarness.RandomValue(r),
        OpCodeOperandKind.imm64 => (long)DifferentialHarness.RandomValue(r),
        OpCodeOperandKind.imm8_const_1 => 1,
        _ => null,
    };

    /// <summary>Builds one instance of <paramref name="code"/>, or null when its operands are outside what
    /// this tester supports.</summary>
    internal static Instruction? Build(Code code, Random r, bool mem)
    {
        var op = code.ToOpCode();
        int disp = r.Next(-0x200, 0x800);
        var args = new object[op.OpCount];
        for (int k = 0; k < op.OpCount; k++)
        {
            var a = Operand(op.GetOpKind(k), r, mem, disp);
            if (a == null) return null;
            args[k] = a;
        }
        try
        {
            var ins = args switch
            {
                [] => Instruction.Create(code),
                [Register a] => Instruction.Create(code, a),
                [MemoryOperand m] => Instruction.Create(code, m),
                [int i] => Instruction.Create(code, i),
                [Register a, Register b] => Instruction.Create(code, a, b),
                [Register a, MemoryOperand m] => Instruction.Create(code, a, m),
                [MemoryOperand m, Register b] => Instruction.Create(code, m, b),
                [Register a, int i] => Instruction.Create(code, a, i),
                [Register a, long l] => Instruction.Create(code, a, l),
                [MemoryOperand m, int i] => Instruction.Create(code, m, i),
                [Register a, Register b, Register c] => Instruction.Create(code, a, b, c),
                [Register a, MemoryOperand m, Register c] => Instruction.Create(code, a, m, c),
                [Register a, Register b, MemoryOperand m] => Instruction.Create(code, a, b, m),
                [Register a, Register b, int i] => Instruction.Create(code, a, b, i),
                [Register a, MemoryOperand m, int i] => Instruction.Create(code, a, m, i),
                [MemoryOperand m, Register b, int i] => Instruction.Create(code, m, b, i),
                [MemoryOperand m, Register b, Register c] => Instruction.Create(code, m, b, c),
                _ => (Instruction?)null,
            };
            if (ins is not { } i2) return null;
            var w = new Bytes();
            var enc = Iced.Intel.Encoder.Create(64, w);
            return enc.TryEncode(i2, 0x10000, out _, out _) ? i2 : null;
        }
        catch (ArgumentException) { return null; }
    }

    private static bool Testable(Code c)
    {
        if (c == Code.INVALID || c.Encoding() is not (EncodingKind.Legacy or EncodingKind.VEX)) return false;
        var op = c.ToOpCode();
        if (!op.Mode64 || !op.IsInstruction || op.IsPrivileged || op.IsInputOutput || !HandlerTable.IsImplemented(c)) return false;
        if (!c.CpuidFeatures().All(f => Integer.Contains(f)) || Excluded.Contains(c.Mnemonic()) || ExcludedCodes.Contains(c)) return false;
        if (c.IsStringInstruction() || c.FlowControl() != FlowControl.Next) return false;
        var r = new Random(1);
        return Build(c, r, false) != null || Build(c, r, true) != null;
    }

    public static TheoryData<string> Forms()
    {
        var d = new TheoryData<string>();
        foreach (var c in Enum.GetValues<Code>())
            if (Testable(c)) d.Add(c.ToString());
        return d;
    }

    [Fact]
    public void CoversTheBulkOfTheIntegerSet() => Assert.True(((IEnumerable<object[]>)Forms()).Count() > 500);

    [Theory, MemberData(nameof(Forms))]
    public void MatchesHostCpu(string name)
    {
        var c = Enum.Parse<Code>(name);
        var r = new Random(TestSeed.For(StableSeed(name)));
        int ran = 0;
        for (int n = 0; n < 80 * TestSeed.Scale; n++)
        {
            var ins = Build(c, r, (n & 1) == 1) ?? Build(c, r, (n & 1) == 0);
            if (ins is not { } i) continue;
            var bytes = Encode(i);
            var s = _h.RandomState(r);
            if (n % 4 == 0) s.Gpr[CpuState.Rcx] = (ulong)r.Next(0, 70); // small counts in CL
            var diff = _h.Compare(bytes, s, Undefined(i));
            Assert.True(diff == null, $"{i} ({name}), case {n} {TestSeed.Replay}: {diff}\nstart: {string.Join(' ', Enumerable.Range(0, 16).Select(g => $"r{g}=0x{s.Gpr[g]:x}"))} flags=0x{s.Rflags:x}");
            ran++;
        }
        Assert.True(ran >= 40, $"{name}: only {ran} cases could be built");
    }

    /// <summary>A seed that is the same in every process (string.GetHashCode is randomised per process).</summary>
    public static int StableSeed(string s)
    {
        unchecked
        {
            int h = (int)2166136261;
            foreach (char ch in s) h = (h ^ ch) * 16777619;
            return h;
        }
    }

    /// <summary>The x86 RFLAGS bits Iced's tables mark undefined for this instruction.</summary>
    internal static ulong Undefined(in Instruction i)
    {
        var u = i.RflagsUndefined;
        ulong m = 0;
        if ((u & RflagsBits.OF) != 0) m |= Flags.OF;
        if ((u & RflagsBits.SF) != 0) m |= Flags.SF;
        if ((u & RflagsBits.ZF) != 0) m |= Flags.ZF;
        if ((u & RflagsBits.AF) != 0) m |= Flags.AF;
        if ((u & RflagsBits.CF) != 0) m |= Flags.CF;
        if ((u & RflagsBits.PF) != 0) m |= Flags.PF;
        return m;
    }

    internal static byte[] Encode(in Instruction i)
    {
        var w = new Bytes();
        Iced.Intel.Encoder.Create(64, w).Encode(i, 0x10000);
        return w.List.ToArray();
    }

    private sealed class Bytes : CodeWriter
    {
        public readonly List<byte> List = new();
        public override void WriteByte(byte value) => List.Add(value);
    }
}
