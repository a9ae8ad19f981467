using Ferry.Cpu;
using Ferry.Interpreter;
using Ferry.Jit;
using Ferry.Tests.Instructions;
using Ferry.Tests.Oracle;
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.Jit;

/// <summary>The integer forms BlockTranslator.IntegerOps.cs compiles inline (shifts and rotates by CL, MUL and
/// every IMUL, 32/64-bit DIV and IDIV, BSF/BSR/TZCNT/LZCNT/POPCNT), compiled at threshold 1 and checked by
/// <see cref="JitDifferential"/> against the host CPU and the interpreter in four flag situations,
/// with the inputs shaped towards the edges: counts 0, 1, the width, masked to 5 or 6 bits; zero sources;
/// dividends next to the quotient's limits. Division faults are compared with the interpreter's.</summary>
public sealed class JitIntegerOpsTests : IClassFixture<JitFormTests.Fixture>, IDisposable
{
    private readonly DifferentialHarness _h;
    private readonly JitDifferential _d;

    public JitIntegerOpsTests(JitFormTests.Fixture f)
    {
        _h = f.H;
        _d = new JitDifferential(_h);
    }

    public void Dispose() => _d.Dispose();

    private static readonly Mnemonic[] Inlined =
    [
        Mnemonic.Shl, Mnemonic.Sal, Mnemonic.Shr, Mnemonic.Sar, Mnemonic.Rol, Mnemonic.Ror, Mnemonic.Mul, Mnemonic.Imul,
        Mnemonic.Div, Mnemonic.Idiv, Mnemonic.Bsf, Mnemonic.Bsr, Mnemonic.Tzcnt, Mnemonic.Lzcnt, Mnemonic.Popcnt,
    ];

    public static TheoryData<string> Forms()
    {
        var d = new TheoryData<string>();
        foreach (var c in Enum.GetValues<Code>())
        {
            if (c.Encoding() != EncodingKind.Legacy || !c.ToOpCode().Mode64 || !Inlined.Contains(c.Mnemonic()) || !HandlerTable.IsImplemented(c)) continue;
            var r = new Random(1);
            bool any = false;
            for (int n = 0; n < 8 && !any; n++)
                any = IntegerFormTests.Build(c, r, (n & 1) == 1) is { } i && (i.Mnemonic is not (Mnemonic.Shl or Mnemonic.Sal or Mnemonic.Shr
                    or Mnemonic.Sar or Mnemonic.Rol or Mnemonic.Ror) || i.Op1Kind == OpKind.Register) && BlockTranslator.CanInline(i, Flags.Status);
            if (any) d.Add(c.ToString());
        }
        return d;
    }

    [Fact]
    public void CoversEveryFormOfTheFamilies()
    {
        var forms = ((IEnumerable<object[]>)Forms()).Select(r => (string)r[0]).ToHashSet();
        foreach (var f in new[] { "Shl_rm32_CL", "Sar_rm64_CL", "Rol_rm8_CL", "Ror_rm16_CL", "Imul_r64_rm64", "Imul_r32_rm32_imm32",
                     "Imul_rm64", "Imul_rm8", "Mul_rm64", "Mul_rm16", "Div_rm32", "Div_rm64", "Idiv_rm32", "Idiv_rm64",
                     "Tzcnt_r64_rm64", "Lzcnt_r32_rm32", "Bsf_r16_rm16", "Bsr_r64_rm64", "Popcnt_r32_rm32" })
            Assert.Contains(f, forms);
        Assert.DoesNotContain("Div_rm8", forms); // 8/16-bit division stays with the interpreter
    }

    private static readonly int[] Counts = [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 0x80, 0xC1, 0xFF];

    [Theory, MemberData(nameof(Forms))]
    public void MatchesHostCpuAndInterpreter(string name)
    {
        var (reg, mem) = _d.MatchesHostCpuAndInterpreter(name, 0x1D7, 60, Shape);
        Assert.True(reg + mem >= 30, $"{name}: only {reg + mem} cases could be built");
    }

    /// <summary>Edge inputs for the instruction's family; false when the case cannot run natively (a division
    /// that would fault).</summary>
    private bool Shape(in Instruction i, ref CpuState s, Random r, int n)
    {
        int size = Operands.Size(i, 0);
        switch (i.Mnemonic)
        {
            case Mnemonic.Shl or Mnemonic.Sal or Mnemonic.Shr or Mnemonic.Sar or Mnemonic.Rol or Mnemonic.Ror:
                s.Gpr[CpuState.Rcx] = (s.Gpr[CpuState.Rcx] & ~0xFFUL) | (uint)(n < Counts.Length * 2 ? Counts[n / 2] : r.Next(256));
                return true;
            case Mnemonic.Bsf or Mnemonic.Bsr or Mnemonic.Tzcnt or Mnemonic.Lzcnt or Mnemonic.Popcnt:
                if (n % 4 == 0) _d.SetOperand(i, 1, ref s, 0);
                else if (n % 4 == 1) _d.SetOperand(i, 1, ref s, 1UL << r.Next(size * 8));
                return true;
            case Mnemonic.Div or Mnemonic.Idiv:
            {
                bool signed = i.Mnemonic == Mnemonic.Idiv;
                ulong mask = Flags.Mask(size);
                ulong d = DifferentialHarness.RandomValue(r) & mask;
                if (n % 5 == 0) d = r.Next(2) == 0 ? 1 : mask; // 1 and -1
                if (d == 0) d = 3;
                if (i.Op0Kind == OpKind.Register && Operands.Index(i.Op0Register) is CpuState.Rax or CpuState.Rdx) return false;
                _d.SetOperand(i, 0, ref s, d);
                ulong rax = DifferentialHarness.RandomValue(r) & mask;
                ulong rdx = (n % 4) switch
                {
                    // A dividend of the operand's width: zero-extended or sign-extended, as compilers leave it.
                    0 or 1 => signed ? ((rax & Flags.SignBit(size)) != 0 ? mask : 0) : 0,
                    // A double-width one (the slow path inline code hands to MulDiv).
                    _ => (ulong)r.NextInt64() & mask,
                };
                if (!Fits(rax, rdx, d, size, signed)) return false;
                s.Gpr[CpuState.Rax] = size == 8 ? rax : (s.Gpr[CpuState.Rax] & ~mask) | rax;
                s.Gpr[CpuState.Rdx] = size == 8 ? rdx : (s.Gpr[CpuState.Rdx] & ~mask) | rdx;
                return true;
            }
            default:
                return true;
        }
    }

    /// <summary>Whether the quotient of rdx:rax / d fits (the host would raise #DE otherwise).</summary>
    private static bool Fits(ulong rax, ulong rdx, ulong d, int size, bool signed)
    {
        int bits = size * 8;
        if (!signed)
        {
            UInt128 q = ((UInt128)rdx << bits | rax) / d;
            return q <= Flags.Mask(size);
        }
        Int128 dividend = size == 8 ? (Int128)((UInt128)rdx << 64 | rax) : (long)Operands.SignExtend(rdx << bits | rax, size * 2);
        Int128 qs = dividend / (long)Operands.SignExtend(d, size);
        long max = (long)(Flags.SignBit(size) - 1);
        return qs <= max && qs >= -max - 1;
    }

    private CpuState DivState(ulong rax, ulong rdx, ulong divisor)
    {
        var s = _h.RandomState(new Random(7));
        s.Gpr[CpuState.Rax] = rax;
        s.Gpr[CpuState.Rdx] = rdx;
        s.Gpr[CpuState.Rbx] = divisor;
        return s;
    }

    public static TheoryData<string, ulong, ulong, ulong> DivideErrors() => new()
    {
        { "div64", 1, 0, 0 },                                                 // by zero, 64-bit dividend
        { "div64", 0, 7, 7 },                                                 // RDX = divisor: 65-bit quotient
        { "div32", 5, 0xFFFF_FFFF, 2 },                                       // EDX:EAX / 2 overflows 32 bits
        { "div32", 1, 0, 0 },
        { "idiv64", 0x8000_0000_0000_0000, ulong.MaxValue, ulong.MaxValue },  // INT64_MIN / -1
        { "idiv64", 0, 1, 1 },                                                // 2^64 / 1
        { "idiv64", 9, 0, 0 },
        { "idiv32", 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFFF },                  // INT32_MIN / -1 after CDQ
        { "idiv32", 0, 0x8000_0000, 0xFFFF_FFFF },                            // EDX:EAX = INT64_MIN, / -1
        { "idiv32", 0, 1, 1 },                                                // 2^32 / 1
        { "idiv32", 4, 0, 0 },
    };

    /// <summary>#DE in compiled code is raised at the division, with the state the interpreter leaves: the
    /// registers an inline instruction before it changed are stored, RAX and RDX untouched, the flags of the
    /// producer before it (kept lazily, as only the fault sees them) exact.</summary>
    [Theory, MemberData(nameof(DivideErrors))]
    public void DivideErrorIsPreciseInCompiledCode(string form, ulong rax, ulong rdx, ulong divisor)
    {
        var code = DifferentialHarness.Assemble(a =>
        {
            a.add(rsi, rdi);
            a.sub(r8, r9);
            switch (form)
            {
                case "div64": a.div(rbx); break;
                case "div32": a.div(ebx); break;
                case "idiv64": a.idiv(rbx); break;
                default: a.idiv(ebx); break;
            }
            a.cmp(r8, r10);
            a.inc(rsi);
        });
        _d.AgreesWithInterpreter(code, DivState(rax, rdx, divisor), form, CpuExceptionKind.DivideError);
        var s = DivState(rax, rdx, divisor);
        var e = _h.Interpreter.Run(ref s, code);
        Assert.Equal(CpuExceptionKind.DivideError, e?.Kind);
        Assert.Equal((rax, rdx), (s.Gpr[CpuState.Rax], s.Gpr[CpuState.Rdx]));
        // RIP is the division's: after the ADD (3 bytes) and the SUB (3 bytes).
        Assert.Equal(_h.Interpreter.CodeEnd - (ulong)code.Length + 6, s.Rip);
    }

    /// <summary>A division in a compiled loop that takes the inline path many times, then the slow path for a
    /// 128-bit dividend, then faults: the same results and the same fault as the interpreter.</summary>
    [Fact]
    public void DivisionLoopFastThenSlowThenFault()
    {
        var code = DifferentialHarness.Assemble(a =>
        {
            var top = a.CreateLabel();
            a.mov(ecx, 40);
            a.Label(ref top);
            a.mov(rax, r8);
            a.xor(edx, edx);
            a.cmp(ecx, 5);
            a.setb(dl);        // the last iterations divide a 65-bit dividend (slow path), until RBX = 1 faults
            a.div(rbx);
            a.add(r9, rax);
            a.add(r10, rdx);
            a.mov(eax, r8d);
            a.cdq();
            a.idiv(r11d);
            a.add(r12, rax);
            a.add(r13, rdx);
            a.dec(rbx);        // reaches zero in the last iteration: #DE
            a.dec(ecx);
            a.jnz(top);
        });
        var s = _h.RandomState(new Random(11));
        s.Gpr[CpuState.Rbx] = 39;
        s.Gpr[8] = 0xFEDC_BA98_7654_3210;
        s.Gpr[11] = 0xFFFF_FFF9;
        _d.AgreesWithInterpreter(code, s, "loop", CpuExceptionKind.DivideError);
    }

    public static TheoryData<string, ulong> PartialFlagUpdates() => new()
    {
        { "bsf", 0 }, { "bsf", 0x40 }, { "bsr", 0 }, { "tzcnt", 0 }, { "tzcnt", 8 }, { "lzcnt", 1 },
        { "shl", 0 }, { "shl", 5 }, { "rol", 0 }, { "rol", 8 }, { "ror", 3 }, { "sar", 0x40 },
    };

    /// <summary>An instruction that keeps some flags (a zero count, BSF's all-but-ZF, a rotate's all-but-CF/OF)
    /// after a producer whose flags only a later fault sees (so they are kept lazily): the fault must see the
    /// producer's flags merged with the instruction's, as the interpreter leaves them.</summary>
    [Theory, MemberData(nameof(PartialFlagUpdates))]
    public void PartialFlagUpdateAfterALazyProducerIsExactAtAFault(string form, ulong value)
    {
        var code = DifferentialHarness.Assemble(a =>
        {
            a.sub(r8, r9);
            switch (form)
            {
                case "bsf": a.bsf(rax, rbx); break;
                case "bsr": a.bsr(eax, ebx); break;
                case "tzcnt": a.tzcnt(rax, rbx); break;
                case "lzcnt": a.lzcnt(eax, ebx); break;
                case "shl": a.shl(rdx, cl); break;
                case "rol": a.rol(dl, cl); break;
                case "ror": a.ror(__dword_ptr[r15 + 8], cl); break;
                default: a.sar(dx, cl); break;
            }
            a.mov(rcx, __qword_ptr[rsi]); // unmapped: the fault observes the flags
            a.cmp(r15, r15);
        });
        var s = _h.RandomState(new Random(5));
        s.Gpr[CpuState.Rbx] = value;
        s.Gpr[CpuState.Rcx] = value;
        s.Gpr[CpuState.Rsi] = 0x7777;
        _d.AgreesWithInterpreter(code, s, form, CpuExceptionKind.PageFault);
    }
}
