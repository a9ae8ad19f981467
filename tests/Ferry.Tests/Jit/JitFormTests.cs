using Ferry.Cpu;
using Ferry.Jit;
using Ferry.Tests.Instructions;
using Ferry.Tests.Oracle;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Jit;

/// <summary>Every integer form the JIT translates inline, compiled (threshold 1) and run against the host
/// CPU from random states: once as a block of its own (its flags are live at the exit and must be exact),
/// and once followed by <c>cmp r15, r15</c>, so its flags are dead and the flag-free translations of
/// shifts, rotates and IMUL run.</summary>
public sealed class JitFormTests : IClassFixture<JitFormTests.Fixture>
{
    public sealed class Fixture : IDisposable
    {
        public DifferentialHarness H { get; } = new(new JitOptions { Threshold = 1, RegionThreshold = 1 });
        public void Dispose() => H.Dispose();
    }

    private readonly DifferentialHarness _h;
    public JitFormTests(Fixture f) => _h = f.H;

    private static readonly byte[] KillFlags = DifferentialHarness.Assemble(a => a.cmp(AssemblerRegisters.r15, AssemblerRegisters.r15));

    /// <summary>The forms of the integer form table that the JIT inlines in at least one flags situation.</summary>
    public static TheoryData<string> InlineForms()
    {
        var d = new TheoryData<string>();
        foreach (var row in (IEnumerable<object[]>)IntegerFormTests.Forms())
        {
            var name = (string)row[0];
            var c = Enum.Parse<Code>(name);
            var r = new Random(1);
            bool inline = false;
            for (int n = 0; n < 8 && !inline; n++)
                if (IntegerFormTests.Build(c, r, (n & 1) == 1) is { } i)
                    inline = BlockTranslator.CanInline(i, Flags.Status) || BlockTranslator.CanInline(i, 0);
            if (inline) d.Add(name);
        }
        return d;
    }

    [Fact]
    public void CoversTheCommonIntegerForms()
    {
        var forms = ((IEnumerable<object[]>)InlineForms()).Select(r => (string)r[0]).ToHashSet();
        Assert.True(forms.Count > 250, $"only {forms.Count} inline forms");
        foreach (var f in new[] { "Add_rm64_r64", "Sub_r32_rm32", "Imul_r64_rm64_imm32", "Shl_rm64_imm8", "Movzx_r32_rm8", "Lea_r64_m",
                     "Cmovl_r64_rm64", "Sete_rm8", "Push_r64", "Pop_r64", "Xchg_rm64_r64", "Cqo", "Neg_rm32", "Ror_rm32_imm8" })
            Assert.Contains(f, forms);
    }

    [Theory, MemberData(nameof(InlineForms))]
    public void MatchesHostCpuWithFlagsLive(string name) => Run(name, false);

    [Theory, MemberData(nameof(InlineForms))]
    public void MatchesHostCpuWithFlagsDead(string name) => Run(name, true);

    private void Run(string name, bool killFlags)
    {
        var c = Enum.Parse<Code>(name);
        var r = new Random(IntegerFormTests.StableSeed(name) ^ (killFlags ? 0x5A5A : 0));
        int ran = 0;
        int compiledBefore = _h.Interpreter.Engine.Jit!.CompiledBlocks;
        for (int n = 0; n < 40; n++)
        {
            var ins = IntegerFormTests.Build(c, r, (n & 1) == 1) ?? IntegerFormTests.Build(c, r, (n & 1) == 0);
            if (ins is not { } i) continue;
            var bytes = IntegerFormTests.Encode(i);
            if (killFlags) bytes = [.. bytes, .. KillFlags];
            var s = _h.RandomState(r);
            if (n % 4 == 0) s.Gpr[CpuState.Rcx] = (ulong)r.Next(0, 70);
            var diff = _h.Compare(bytes, s, killFlags ? 0 : IntegerFormTests.Undefined(i));
            Assert.True(diff == null, $"JIT: {i} ({name}{(killFlags ? ", flags dead" : "")}), case {n}: {diff}\nstart: {string.Join(' ', Enumerable.Range(0, 16).Select(g => $"r{g}=0x{s.Gpr[g]:x}"))} flags=0x{s.Rflags:x}");
            ran++;
        }
        Assert.True(ran >= 20, $"{name}: only {ran} cases could be built");
        // Each run decodes the snippet afresh, so each run compiled its block.
        Assert.True(_h.Interpreter.Engine.Jit!.CompiledBlocks - compiledBefore >= ran);
    }
}
