using Ferry.Cpu;
using Ferry.Interpreter;
using Ferry.Jit;
using Ferry.Tests.Instructions;
using Ferry.Tests.Oracle;
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.Jit;

/// <summary>The BMI1/BMI2 forms BlockTranslator.Bmi.cs compiles inline (ANDN, BEXTR, BLSI, BLSMSK, BLSR, BZHI, MULX,
/// PDEP, PEXT, RORX, SHLX, SHRX, SARX; 32- and 64-bit, register and memory sources), compiled at threshold 1 and
/// checked by <see cref="JitDifferential"/> against the host CPU (which has BMI1 and BMI2) and exactly against the
/// interpreter, every run in compiled code without a handler fall-back. Inputs are shaped towards the edges: zero,
/// all ones, single bits; BEXTR starts and lengths and BZHI indexes at and past the width; shift counts past the
/// width with garbage above the bits the count is masked to.</summary>
public sealed class JitBmiTests : IClassFixture<JitFormTests.Fixture>, IDisposable
{
    private readonly DifferentialHarness _h;
    private readonly JitDifferential _d;

    public JitBmiTests(JitFormTests.Fixture f)
    {
        _h = f.H;
        _d = new JitDifferential(_h);
    }

    public void Dispose() => _d.Dispose();

    private static readonly Mnemonic[] Bmi =
    [
        Mnemonic.Andn, Mnemonic.Bextr, Mnemonic.Blsi, Mnemonic.Blsmsk, Mnemonic.Blsr, Mnemonic.Bzhi, Mnemonic.Mulx,
        Mnemonic.Pdep, Mnemonic.Pext, Mnemonic.Rorx, Mnemonic.Shlx, Mnemonic.Shrx, Mnemonic.Sarx,
    ];

    public static TheoryData<string> Forms()
    {
        var d = new TheoryData<string>();
        foreach (var c in Enum.GetValues<Code>())
        {
            if (c.Encoding() != EncodingKind.VEX || !c.ToOpCode().Mode64 || !Bmi.Contains(c.Mnemonic()) || !HandlerTable.IsImplemented(c)) continue;
            if (IntegerFormTests.Build(c, new Random(1), false) is { } i && BlockTranslator.CanInline(i, Flags.Status)) d.Add(c.ToString());
        }
        return d;
    }

    [Fact]
    public void CoversEveryFormOfBmi1AndBmi2()
    {
        var forms = ((IEnumerable<object[]>)Forms()).Select(r => (string)r[0]).ToList();
        // Each mnemonic in its 32- and 64-bit form (the VEX encodings have no 8- or 16-bit ones).
        Assert.Equal(Bmi.Length * 2, forms.Count);
        foreach (var m in Bmi)
            Assert.Equal(2, forms.Count(f => Enum.Parse<Code>(f).Mnemonic() == m));
    }

    [Theory, MemberData(nameof(Forms))]
    public void MatchesHostCpuAndInterpreter(string name)
    {
        var (reg, mem) = _d.MatchesHostCpuAndInterpreter(name, 0xB41, 64, Shape);
        Assert.True(reg >= 20 && mem >= 20, $"{name}: only {reg} register and {mem} memory cases could be built");
    }

    private static readonly ulong[] Sources =
    [
        0, ulong.MaxValue, 1, 0x8000_0000, 0x8000_0000_0000_0000, 0xFFFF_FFFF, 0x7FFF_FFFF_FFFF_FFFF, 0x1_0000_0000,
        0x5555_5555_5555_5555,
    ];

    // Bit positions, counts and lengths: small, at the 32- and 64-bit widths and past them, and beyond a byte's
    // reach of the operand (0x80, 0xFF).
    private static readonly int[] Positions = [0, 1, 2, 7, 8, 15, 31, 32, 33, 47, 63, 64, 65, 0x80, 0xFF];

    /// <summary>Garbage above the low byte: BEXTR reads two bytes of its control, BZHI one of its index, and the
    /// shifts mask their count to 5 or 6 bits, so none of it may matter.</summary>
    private static ulong Above(Random r, int bit) => ((ulong)r.NextInt64() ^ ((ulong)r.Next() << 40)) << bit;

    private bool Shape(in Instruction i, ref CpuState s, Random r, int n)
    {
        // The value operand: an edge value in two cases of three, else the random one.
        int value = i.Mnemonic switch
        {
            Mnemonic.Andn or Mnemonic.Mulx or Mnemonic.Pdep or Mnemonic.Pext => 2,
            _ => 1,
        };
        if (n % 3 != 2) _d.SetOperand(i, value, ref s, Sources[n / 3 % Sources.Length]);
        ulong pos = (ulong)Positions[n / 2 % Positions.Length];
        switch (i.Mnemonic)
        {
            case Mnemonic.Bextr:
            {
                ulong len = (ulong)Positions[n / 5 % Positions.Length];
                _d.SetOperand(i, 2, ref s, Above(r, 16) | len << 8 | pos);
                break;
            }
            case Mnemonic.Bzhi or Mnemonic.Shlx or Mnemonic.Shrx or Mnemonic.Sarx:
                _d.SetOperand(i, 2, ref s, Above(r, 8) | pos);
                break;
            case Mnemonic.Andn or Mnemonic.Pdep or Mnemonic.Pext:
                // The other source (ANDN's inverted one, the deposited or extracted value): edges too.
                if (n % 4 == 1) _d.SetOperand(i, 1, ref s, Sources[n / 4 % Sources.Length]);
                break;
            case Mnemonic.Mulx:
                // The implicit factor.
                if (n % 4 == 1) s.Gpr[CpuState.Rdx] = Sources[n / 4 % Sources.Length];
                break;
        }
        return true;
    }

    private CpuState Start(int seed)
    {
        var s = _h.RandomState(new Random(seed));
        s.Gpr[CpuState.Rsi] = 0x7770; // unmapped: a fault
        return s;
    }

    public static TheoryData<string> PartialFlagForms() => ["andn", "bextr", "blsi", "blsmsk", "blsr", "bzhi"];

    /// <summary>These instructions leave AF and PF (BEXTR SF too) as they were. After a producer whose flags only a
    /// later fault sees (so they are kept lazily), the fault must see the producer's flags merged with the
    /// instruction's, as the interpreter leaves them.</summary>
    [Theory, MemberData(nameof(PartialFlagForms))]
    public void PartialFlagUpdateAfterALazyProducerIsExactAtAFault(string form)
    {
        var code = DifferentialHarness.Assemble(a =>
        {
            a.sub(r8, r9);
            switch (form)
            {
                case "andn": a.andn(rax, rbx, rcx); break;
                case "bextr": a.bextr(eax, ebx, ecx); break;
                case "blsi": a.blsi(rax, rbx); break;
                case "blsmsk": a.blsmsk(eax, ebx); break;
                case "blsr": a.blsr(rax, __qword_ptr[r15 + 8]); break;
                default: a.bzhi(rax, rbx, rcx); break;
            }
            a.mov(rcx, __qword_ptr[rsi]); // unmapped: the fault observes the flags
            a.cmp(r15, r15);
        });
        for (int seed = 0; seed < 8; seed++)
            _d.AgreesWithInterpreter(code, Start(seed), $"{form}, seed {seed}", CpuExceptionKind.PageFault);
    }

    public static TheoryData<string> FaultingForms() => ["bzhi", "shlx", "mulx", "pdep", "blsr", "rorx", "andn"];

    /// <summary>A memory source that faults in compiled code: the fault is raised at the instruction with the state
    /// as of it (the registers an earlier inline instruction changed stored, the destinations untouched).</summary>
    [Theory, MemberData(nameof(FaultingForms))]
    public void MemorySourceFaultIsPrecise(string form)
    {
        var code = DifferentialHarness.Assemble(a =>
        {
            a.add(r8, r9);
            a.shlx(r10, r11, r12);
            switch (form)
            {
                case "bzhi": a.bzhi(rax, __qword_ptr[rsi], rcx); break;
                case "shlx": a.shlx(eax, __dword_ptr[rsi + 4], ecx); break;
                case "mulx": a.mulx(rax, rbx, __qword_ptr[rsi]); break;
                case "pdep": a.pdep(eax, ebx, __dword_ptr[rsi]); break;
                case "blsr": a.blsr(rax, __qword_ptr[rsi]); break;
                case "rorx": a.rorx(rax, __qword_ptr[rsi], 5); break;
                default: a.andn(rax, rbx, __qword_ptr[rsi]); break;
            }
            a.inc(rdi);
        });
        _d.AgreesWithInterpreter(code, Start(3), form, CpuExceptionKind.PageFault);
    }

    /// <summary>Hand-made cases the form tester reaches only by chance: MULX with equal destinations (the high half
    /// wins) or with RDX as a destination or source; sources that cross a page, which take the full checked read
    /// and come back into the compiled code; the flags of BZHI, BLSR and BEXTR read by a consumer.</summary>
    public static TheoryData<string> Cases() =>
        ["mulx same", "mulx rdx dest", "mulx rdx src", "crossing", "consumers"];

    [Theory, MemberData(nameof(Cases))]
    public void HandMadeCasesMatchHostCpuAndInterpreter(string name)
    {
        var code = DifferentialHarness.Assemble(a =>
        {
            switch (name)
            {
                case "mulx same": a.mulx(rax, rax, rcx); a.mulx(ebx, ebx, __dword_ptr[r15 + 0x40]); break;
                case "mulx rdx dest": a.mulx(rdx, rcx, rbx); a.mulx(r8d, edx, edx); break;
                case "mulx rdx src": a.mulx(rax, rcx, rdx); a.mulx(r9, r10, __qword_ptr[r15 + 0x10]); break;
                case "crossing":
                    a.bzhi(rax, __qword_ptr[r15 + 0xFFC], rcx);
                    a.pext(rbx, rbx, __qword_ptr[r15 + 0xFFD]);
                    a.mulx(r8, r9, __qword_ptr[r15 + 0xFFE]);
                    a.sarx(r10d, __dword_ptr[r15 + 0xFFF], ecx);
                    a.andn(r11, r12, __qword_ptr[r15 + 0xFF9]);
                    break;
                default:
                    a.bzhi(rax, rbx, rcx); a.setb(r8b); a.cmovz(r9, rax);
                    a.blsr(r10, r11); a.sete(r12b); a.cmovs(r13, r10);
                    a.bextr(r14d, ebx, ecx); a.setne(dl); a.cmovo(rsi, rbx);
                    break;
            }
        });
        for (int seed = 0; seed < 24; seed++)
        {
            var s = _h.RandomState(new Random(seed));
            if (seed % 3 == 0) s.Gpr[CpuState.Rcx] = (ulong)Positions[seed / 3 % Positions.Length];
            if (seed % 4 == 1) s.Gpr[CpuState.Rbx] = 0;
            if (seed % 4 == 2) s.Gpr[11] = 0;
            _d.Check(code, s, Flags.AF | Flags.PF | Flags.SF, $"{name}, seed {seed}");
        }
    }

    /// <summary>A loop of every BMI instruction over an array, compiled as a region on its first run, against the
    /// host CPU and the interpreter: loop-carried values through memory and register forms, flags consumed.</summary>
    [Fact]
    public void LoopOverAnArrayMatchesHostCpuAndInterpreter()
    {
        var code = DifferentialHarness.Assemble(a =>
        {
            var top = a.CreateLabel();
            a.mov(ecx, 150);
            a.Label(ref top);
            a.shlx(rax, __qword_ptr[r15 + rcx * 4], rcx);
            a.bzhi(rbx, rax, rcx);
            a.cmovb(rbx, rdi);
            a.sarx(r8, rbx, rcx);
            a.andn(r9, r8, __qword_ptr[r15 + rcx * 4 + 3]);
            a.add(r10, r9);
            a.blsr(r11, r10);
            a.adc(r12, 0);
            a.xor(r12, r11);
            a.rorx(r13, r12, 7);
            a.mov(rdx, r12);
            a.mulx(r14, rsi, r13);
            a.add(rdi, rsi);
            a.add(rdi, r14);
            a.pdep(eax, edi, __dword_ptr[r15 + rcx * 2]);
            a.pext(rsi, r13, rax);
            a.bextr(eax, esi, ecx);
            a.blsi(rdx, rsi);
            a.blsmsk(rbp, __qword_ptr[r15 + rcx * 8]);
            a.shrx(rbp, rbp, rdx);
            a.xor(rdi, rbp);
            a.mov(__qword_ptr[r15 + rcx * 4], rdi);
            a.dec(ecx);
            a.jnz(top);
        });
        for (int seed = 0; seed < 4; seed++)
            _d.Check(code, _h.RandomState(new Random(100 + seed)), 0, $"loop, seed {seed}");
    }
}
