using Ferry.Cpu;
using Ferry.Jit;
using Ferry.Tests.Oracle;
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.Jit;

/// <summary>The scalar SSE forms the JIT translates inline (float arithmetic, compares with their flags,
/// conversions, scalar moves), compiled (threshold 1) and run against the host CPU from random XMM contents
/// full of edge values (NaNs, infinities, denormals, zeros), random rounding modes, DAZ/FTZ and sticky flags;
/// and an unmasked exception against the interpreter.</summary>
public sealed class JitScalarSseTests : IClassFixture<JitFormTests.Fixture>
{
    private readonly DifferentialHarness _h;
    public JitScalarSseTests(JitFormTests.Fixture f) => _h = f.H;

    private static readonly ulong[] EdgeDoubles =
    [
        0, 0x8000_0000_0000_0000, 0x3FF0_0000_0000_0000, 0xBFF0_0000_0000_0000, 0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000,
        0x7FF8_0000_0000_0000, 0xFFF8_0000_0000_0000, 0x7FF4_0000_0000_0001, 0x7FF0_0000_0000_0001, 0x0000_0000_0000_0001,
        0x000F_FFFF_FFFF_FFFF, 0x0010_0000_0000_0000, 0x7FEF_FFFF_FFFF_FFFF, 0x4340_0000_0000_0000, 0xC3E0_0000_0000_0000,
        0x41DF_FFFF_FFC0_0000, 0x41E0_0000_0000_0000, 0x3FE0_0000_0000_0000, 0x4008_0000_0000_0000,
    ];

    private static readonly uint[] EdgeFloats =
    [
        0, 0x8000_0000, 0x3F80_0000, 0xBF80_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0000, 0x7FA0_0001,
        0x0000_0001, 0x007F_FFFF, 0x0080_0000, 0x7F7F_FFFF, 0x4F00_0000, 0xDF00_0000, 0x3F00_0000,
    ];

    internal static ulong RandomLane(Random r) => r.Next(4) switch
    {
        0 => EdgeDoubles[r.Next(EdgeDoubles.Length)],
        1 => EdgeFloats[r.Next(EdgeFloats.Length)] | ((ulong)EdgeFloats[r.Next(EdgeFloats.Length)] << 32),
        // Ordinary magnitudes, so that most operations take the fast path.
        2 => BitConverter.DoubleToUInt64Bits((r.NextDouble() - 0.5) * Math.Pow(2, r.Next(-40, 40))),
        _ => (ulong)BitConverter.SingleToUInt32Bits((float)((r.NextDouble() - 0.5) * Math.Pow(2, r.Next(-20, 20))))
            | ((ulong)BitConverter.SingleToUInt32Bits((float)r.NextDouble()) << 32),
    };

    [Fact]
    public void DoubleArithmeticInALoop() => Check(a =>
    {
        var top = a.CreateLabel();
        a.mov(ecx, 5);
        a.Label(ref top);
        a.movsd(xmm0, __qword_ptr[r15 + rcx * 8]);
        a.mulsd(xmm0, xmm1);
        a.addsd(xmm2, xmm0);
        a.subsd(xmm3, __qword_ptr[r15 + 0x40]);
        a.divsd(xmm4, xmm5);
        a.sqrtsd(xmm6, xmm7);
        a.minsd(xmm8, xmm9);
        a.maxsd(xmm10, __qword_ptr[r15 + 0xFFC]); // crosses a page
        a.cmpsd(xmm11, xmm12, 1);
        a.cmpsd(xmm13, __qword_ptr[r15 + 0x18], 4);
        a.movsd(__qword_ptr[r15 + rcx * 8 + 0x100], xmm2);
        a.movsd(xmm14, xmm3);
        a.dec(ecx);
        a.jnz(top);
    }, "sd loop");

    [Fact]
    public void SingleArithmetic() => Check(a =>
    {
        a.movss(xmm0, __dword_ptr[r15 + 8]);
        a.mulss(xmm0, xmm1);
        a.addss(xmm2, xmm0);
        a.subss(xmm3, __dword_ptr[r15 + 0x44]);
        a.divss(xmm4, xmm5);
        a.sqrtss(xmm6, xmm7);
        a.minss(xmm8, xmm9);
        a.maxss(xmm10, __dword_ptr[r15 + 0xFFE]); // crosses a page
        a.cmpss(xmm11, xmm12, 3);
        a.cmpss(xmm13, xmm14, 6);
        a.movss(__dword_ptr[r15 + 0x101], xmm2);
        a.movss(xmm15, xmm3);
    }, "ss");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ComparesSetTheFlagsTheirConsumersRead(bool single) => Check(a =>
    {
        var skip = a.CreateLabel();
        if (single) a.ucomiss(xmm0, xmm1); else a.ucomisd(xmm0, xmm1);
        a.setp(al);
        a.seta(bl);
        a.setb(dl);
        a.sete(sil);
        if (single) a.comiss(xmm2, __dword_ptr[r15 + 0x20]); else a.comisd(xmm2, __qword_ptr[r15 + 0x20]);
        a.cmovbe(r8, r9);
        a.jp(skip);
        a.inc(r10);
        a.Label(ref skip);
        if (single) a.comiss(xmm3, xmm4); else a.ucomisd(xmm3, xmm4);
        a.nop();
    }, single ? "comiss" : "comisd");

    [Fact]
    public void ConversionsAndMovesToGeneralRegisters() => Check(a =>
    {
        a.cvtsi2sd(xmm0, rax);
        a.cvtsi2sd(xmm1, ebx);
        a.cvtsi2ss(xmm2, rdx);
        a.cvtsi2ss(xmm3, __dword_ptr[r15 + 0x30]);
        a.cvttsd2si(r8, xmm4);
        a.cvttsd2si(r9d, xmm5);
        a.cvtsd2si(r10, __qword_ptr[r15 + 0x38]);
        a.cvtsd2si(r11d, xmm6);
        a.cvttss2si(r12, xmm7);
        a.cvtss2si(r13d, xmm8);
        a.cvtss2sd(xmm9, xmm10);
        a.cvtsd2ss(xmm11, __qword_ptr[r15 + 0x48]);
        a.movq(rsi, xmm12);
        a.movd(edi, xmm13);
        a.movq(xmm14, rcx);
        a.movd(xmm15, ebp);
        a.movq(xmm12, xmm13);
        a.movq(__qword_ptr[r15 + 0x200], xmm14);
        a.movd(__dword_ptr[r15 + 0x208], xmm15);
        a.movq(xmm10, __qword_ptr[r15 + 0x210]);
    }, "cvt");

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
            a.addsd(xmm0, xmm1);
            a.add(rbx, 7);
            switch (form)
            {
                case 0: a.divsd(xmm2, xmm3); break;             // 1 / 0
                case 1: a.comisd(xmm4, __qword_ptr[r15]); break;  // a quiet NaN: COMISD signals invalid
                default: a.cvtsi2ss(xmm5, rax); break;           // 2^62 + 1 is not exact in binary32
            }
            a.inc(rcx);
            a.nop();
        });
        CpuState Start()
        {
            var s = new CpuState();
            s.Reset();
            s.Gpr[CpuState.Rax] = (1UL << 62) + 1;
            s.Gpr[CpuState.Rsp] = scratch.Scratch + 0x3000;
            s.Gpr[15] = scratch.Scratch;
            s.Mxcsr = MxcsrBits.Reset & ~(exception << MxcsrBits.MaskShift);
            s.Vec[0] = s.Vec[4] = s.Vec[8] = s.Vec[16] = 0x3FF0_0000_0000_0000;
            s.Vec[20] = 0x4000_0000_0000_0000;
            s.Vec[12] = 0;
            return s;
        }
        unsafe { *(ulong*)scratch.Scratch = 0x7FF8_0000_0000_0000; }
        var si = Start();
        var sj = Start();
        var ei = interp.Run(ref si, code);
        var ej = jit.Run(ref sj, code);
        Assert.NotNull(ei);
        Assert.NotNull(ej);
        Assert.Equal(CpuExceptionKind.SimdError, ei!.Kind);
        Assert.Equal(ei.Kind, ej!.Kind);
        Assert.Equal(ei.Code, ej.Code);
        Assert.Equal(interp.CodeEnd - si.Rip, jit.CodeEnd - sj.Rip);
        for (int n = 0; n < 16; n++) Assert.True(si.Gpr[n] == sj.Gpr[n], $"GPR{n}: interpreter 0x{si.Gpr[n]:x} jit 0x{sj.Gpr[n]:x}");
        for (int n = 0; n < 64; n++) Assert.True(si.Vec[n] == sj.Vec[n], $"XMM{n / 4} qword {n % 4}: interpreter 0x{si.Vec[n]:x} jit 0x{sj.Vec[n]:x}");
        Assert.Equal(si.Mxcsr, sj.Mxcsr);
        Assert.Equal(si.Rflags, sj.Rflags);
        Assert.True((sj.Mxcsr & exception) != 0);
        Assert.True(jit.Engine.Jit!.CompiledBlocks > 0);
    }

    private void Check(Action<Assembler> emit, string what)
    {
        var code = DifferentialHarness.Assemble(a =>
        {
            emit(a);
            a.nop();
        });
        var r = new Random(Instructions.IntegerFormTests.StableSeed(what));
        int before = _h.Interpreter.Engine.Jit!.CompiledBlocks;
        for (int n = 0; n < 60; n++)
        {
            var s = _h.RandomState(r);
            for (int q = 0; q < 64; q++) s.Vec[q] = RandomLane(r);
            // Rounding mode, DAZ, FTZ and sticky flags at random; every exception masked (the host would trap).
            s.Mxcsr = MxcsrBits.Masks | (uint)(r.Next(4) << 13) | (r.Next(3) == 0 ? 0x40u : 0) | (r.Next(3) == 0 ? 0x8000u : 0) | (uint)r.Next(0x40);
            unsafe
            {
                var mem = new Span<ulong>((void*)_h.DataBase, 0x100);
                for (int q = 0; q < mem.Length; q++) mem[q] = RandomLane(r);
            }
            var diff = _h.Compare(code, s);
            Assert.True(diff == null, $"{what}, case {n}: {diff} (MXCSR 0x{s.Mxcsr:x})");
        }
        Assert.True(_h.Interpreter.Engine.Jit!.CompiledBlocks > before);
    }
}
