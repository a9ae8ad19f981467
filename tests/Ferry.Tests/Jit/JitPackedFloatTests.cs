using Ferry.Cpu;
using Ferry.Jit;
using Ferry.Tests.Oracle;
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.Jit;

/// <summary>The legacy packed float arithmetic (ADDPS … MAXPD) the JIT translates inline, compiled (threshold 1)
/// and interpreted, both against the host CPU, from edge-case and ordinary lanes under random rounding modes,
/// DAZ/FTZ and sticky flags (exceptions masked); and an unmasked exception raised as the interpreter raises it.</summary>
public sealed class JitPackedFloatTests : IClassFixture<JitVectorFormTests.Fixture>
{
    private readonly JitVectorFormTests.Fixture _f;
    public JitPackedFloatTests(JitVectorFormTests.Fixture f) => _f = f;

    [Fact]
    public void PackedDoubleAndSingleArithmetic()
    {
        var code = DifferentialHarness.Assemble(a =>
        {
            a.addpd(xmm0, xmm1);
            a.subpd(xmm2, __xmmword_ptr[r15 + 0x10]);
            a.mulpd(xmm3, xmm4);
            a.divpd(xmm5, xmm6);
            a.minpd(xmm7, __xmmword_ptr[r15 + 0x20]);
            a.maxpd(xmm8, xmm9);
            a.addps(xmm10, __xmmword_ptr[r15 + 0x30]);
            a.subps(xmm11, xmm12);
            a.mulps(xmm13, xmm14);
            a.divps(xmm15, __xmmword_ptr[r15 + 0x40]);
            a.minps(xmm0, xmm2);
            a.maxps(xmm1, xmm1);
            a.mulpd(xmm4, xmm4);
            a.nop();
        });
        var decoder = Decoder.Create(64, code);
        while (decoder.IP < (ulong)code.Length)
        {
            var i = decoder.Decode();
            if (i.Code.ToString().Contains("xmm")) Assert.True(BlockTranslator.CanInline(i, Flags.Status), $"{i} is not inline");
        }
        int before = _f.Jit.Interpreter.Engine.Jit!.CompiledBlocks;
        var r = new Random(Instructions.IntegerFormTests.StableSeed("packed float"));
        for (int n = 0; n < 60; n++)
        {
            // One random draw serves both harnesses (their scratch areas differ, so each gets its own copy).
            ulong[] vec = new ulong[64], mem = new ulong[0x20];
            for (int q = 0; q < 64; q++) vec[q] = JitScalarSseTests.RandomLane(r);
            for (int q = 0; q < mem.Length; q++) mem[q] = JitScalarSseTests.RandomLane(r);
            uint mxcsr = MxcsrBits.Masks | (uint)(r.Next(4) << 13) | (r.Next(3) == 0 ? 0x40u : 0) | (r.Next(3) == 0 ? 0x8000u : 0) | (uint)r.Next(0x40);
            int seed = r.Next();
            foreach (var (h, what) in new[] { (_f.Jit, "JIT"), (_f.Interpreter, "interpreter") })
            {
                var s = h.RandomState(new Random(seed));
                for (int q = 0; q < 64; q++) s.Vec[q] = vec[q];
                s.Mxcsr = mxcsr;
                unsafe
                {
                    var m = new Span<ulong>((void*)h.DataBase, mem.Length);
                    mem.CopyTo(m);
                }
                var diff = h.Compare(code, s);
                Assert.True(diff == null, $"{what}, case {n}: {diff} (MXCSR 0x{mxcsr:x})");
            }
        }
        Assert.True(_f.Jit.Interpreter.Engine.Jit!.CompiledBlocks > before);
    }

    [Theory]
    [InlineData(0, MxcsrBits.ZE)]
    [InlineData(1, MxcsrBits.IE)]
    [InlineData(2, MxcsrBits.PE)]
    public void AnUnmaskedExceptionRaisesAtItsInstructionAsInTheInterpreter(int form, uint exception)
    {
        using var scratch = new NativeCpu();
        using var interp = new SnippetRunner();
        using var jit = new SnippetRunner(new JitOptions { Threshold = 1, RegionThreshold = 1 });
        interp.Share(scratch.Scratch, NativeCpu.ScratchSize);
        jit.Share(scratch.Scratch, NativeCpu.ScratchSize);
        var code = DifferentialHarness.Assemble(a =>
        {
            a.addpd(xmm0, xmm1);
            a.add(rbx, 7);
            switch (form)
            {
                case 0: a.divpd(xmm2, xmm3); break;                       // 1 / 0 in the high lane
                case 1: a.mulps(xmm4, __xmmword_ptr[r15]); break;          // a signalling NaN
                default: a.divps(xmm5, xmm6); break;                       // 1 / 3 is inexact
            }
            a.inc(rcx);
            a.nop();
        });
        CpuState Start()
        {
            var s = new CpuState();
            s.Reset();
            s.Gpr[CpuState.Rsp] = scratch.Scratch + 0x3000;
            s.Gpr[15] = scratch.Scratch;
            s.Mxcsr = MxcsrBits.Reset & ~(exception << MxcsrBits.MaskShift);
            s.Vec[0] = s.Vec[1] = s.Vec[4] = s.Vec[5] = s.Vec[8] = s.Vec[9] = s.Vec[12] = 0x3FF0_0000_0000_0000;
            s.Vec[13] = 0;
            s.Vec[16] = s.Vec[17] = 0x3F80_0000_3F80_0000;
            s.Vec[20] = s.Vec[21] = 0x3F80_0000_3F80_0000;
            s.Vec[24] = s.Vec[25] = 0x4040_0000_4040_0000;
            return s;
        }
        unsafe
        {
            *(ulong*)scratch.Scratch = 0x3F80_0000_7FA0_0000;
            *(ulong*)(scratch.Scratch + 8) = 0x3F80_0000_3F80_0000;
        }
        var si = Start();
        var sj = Start();
        var ei = interp.Run(ref si, code);
        var ej = jit.Run(ref sj, code);
        Assert.NotNull(ei);
        Assert.NotNull(ej);
        Assert.Equal(CpuExceptionKind.SimdError, ei!.Kind);
        Assert.Equal(ei.Kind, ej!.Kind);
        Assert.Equal(interp.CodeEnd - si.Rip, jit.CodeEnd - sj.Rip);
        for (int n = 0; n < 16; n++) Assert.True(si.Gpr[n] == sj.Gpr[n], $"GPR{n}: interpreter 0x{si.Gpr[n]:x} jit 0x{sj.Gpr[n]:x}");
        for (int n = 0; n < 64; n++) Assert.True(si.Vec[n] == sj.Vec[n], $"XMM{n / 4} qword {n % 4}: interpreter 0x{si.Vec[n]:x} jit 0x{sj.Vec[n]:x}");
        Assert.Equal(si.Mxcsr, sj.Mxcsr);
        Assert.Equal(si.Rflags, sj.Rflags);
        Assert.True((sj.Mxcsr & exception) != 0);
        Assert.True(jit.Engine.Jit!.CompiledBlocks > 0);
    }
}
