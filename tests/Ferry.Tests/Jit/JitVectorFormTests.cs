using Ferry.Cpu;
using Ferry.Jit;
using Ferry.Tests.Oracle;
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.Jit;

/// <summary>The packed integer SSE/SSSE3/SSE4.1 forms beyond the basic arithmetic (unpacks, packs, shuffles,
/// shifts by an immediate, saturating and high multiplies, PTEST) and their VEX.128/VEX.256 forms, and the AVX2
/// forms of glibc's string functions, which the JIT translates inline: each snippet runs compiled (threshold 1)
/// and on the interpreter, both against the host CPU, from random vector contents, with register and memory
/// operands (VEX.128 forms must zero bits 255:128, legacy forms keep them).</summary>
public sealed class JitVectorFormTests : IClassFixture<JitVectorFormTests.Fixture>
{
    public sealed class Fixture : IDisposable
    {
        public DifferentialHarness Jit { get; } = new(new JitOptions { Threshold = 1, RegionThreshold = 1 });
        public DifferentialHarness Interpreter { get; } = new();

        public void Dispose()
        {
            Jit.Dispose();
            Interpreter.Dispose();
        }
    }

    private readonly Fixture _f;
    public JitVectorFormTests(Fixture f) => _f = f;

    [Fact]
    public void LegacyUnpacksPacksAndShuffles() => Check(a =>
    {
        a.punpcklbw(xmm0, xmm1);
        a.punpcklwd(xmm2, __xmmword_ptr[r15 + 0x10]);
        a.punpckldq(xmm3, xmm4);
        a.punpcklqdq(xmm5, __xmmword_ptr[r15 + 0x20]);
        a.punpckhbw(xmm6, xmm7);
        a.punpckhwd(xmm8, xmm9);
        a.punpckhdq(xmm10, __xmmword_ptr[r15 + 0x30]);
        a.punpckhqdq(xmm11, xmm12);
        a.unpcklps(xmm13, xmm14);
        a.unpckhps(xmm15, __xmmword_ptr[r15 + 0x40]);
        a.unpcklpd(xmm0, xmm2);
        a.unpckhpd(xmm1, xmm3);
        a.packsswb(xmm4, xmm5);
        a.packuswb(xmm6, __xmmword_ptr[r15 + 0x50]);
        a.packssdw(xmm7, xmm8);
        a.packusdw(xmm9, xmm10);
        a.pshufd(xmm11, xmm12, 0x1B);
        a.pshufd(xmm13, __xmmword_ptr[r15 + 0x60], 0xE4);
        a.pshuflw(xmm14, xmm15, 0x93);
        a.pshufhw(xmm0, __xmmword_ptr[r15 + 0x70], 0x4E);
        a.shufps(xmm1, xmm2, 0xB1);
        a.shufpd(xmm3, __xmmword_ptr[r15 + 0x80], 2);
        a.pshufb(xmm4, xmm5);
        a.pshufb(xmm6, __xmmword_ptr[r15 + 0x90]);
        a.palignr(xmm7, xmm8, 5);
        a.palignr(xmm9, __xmmword_ptr[r15 + 0xA0], 19);
        a.pblendw(xmm10, xmm11, 0xA5);
    }, "legacy shuffles");

    [Fact]
    public void LegacyShiftsByAnImmediate() => Check(a =>
    {
        a.pslldq(xmm0, 3);
        a.psrldq(xmm1, 9);
        a.pslldq(xmm2, 17);
        a.psrldq(xmm3, 16);
        a.psllw(xmm4, 3);
        a.pslld(xmm5, 31);
        a.psllq(xmm6, 40);
        a.psrlw(xmm7, 16);
        a.psrld(xmm8, 7);
        a.psrlq(xmm9, 63);
        a.psraw(xmm10, 20);
        a.psrad(xmm11, 9);
        a.psrlq(xmm12, 200);
    }, "legacy shifts");

    [Fact]
    public void LegacySaturatingHighAndSse41Arithmetic() => Check(a =>
    {
        a.paddsb(xmm0, xmm1);
        a.paddsw(xmm2, __xmmword_ptr[r15 + 0x10]);
        a.paddusb(xmm3, xmm4);
        a.paddusw(xmm5, xmm6);
        a.psubsb(xmm7, xmm8);
        a.psubsw(xmm9, xmm10);
        a.psubusb(xmm11, __xmmword_ptr[r15 + 0x20]);
        a.psubusw(xmm12, xmm13);
        a.pmulhw(xmm14, xmm15);
        a.pmulhuw(xmm0, xmm2);
        a.pmaddwd(xmm1, __xmmword_ptr[r15 + 0x30]);
        a.pavgb(xmm3, xmm5);
        a.pavgw(xmm4, xmm6);
        a.psadbw(xmm7, xmm9);
        a.phaddw(xmm8, xmm10);
        a.phaddd(xmm11, xmm12);
        a.phaddsw(xmm13, xmm14);
        a.phsubw(xmm15, xmm0);
        a.phsubd(xmm1, __xmmword_ptr[r15 + 0x40]);
        a.phsubsw(xmm2, xmm3);
        a.pmaddubsw(xmm4, xmm5);
        a.pmulhrsw(xmm6, xmm7);
        a.psignb(xmm8, xmm9);
        a.psignw(xmm10, xmm11);
        a.psignd(xmm12, xmm13);
        a.pabsb(xmm14, xmm15);
        a.pabsw(xmm0, __xmmword_ptr[r15 + 0x50]);
        a.pabsd(xmm1, xmm2);
        a.pminsb(xmm3, xmm4);
        a.pmaxsb(xmm5, xmm6);
        a.pminuw(xmm7, xmm8);
        a.pmaxuw(xmm9, xmm10);
        a.pminsd(xmm11, __xmmword_ptr[r15 + 0x60]);
        a.pmaxsd(xmm12, xmm13);
        a.pminud(xmm14, xmm15);
        a.pmaxud(xmm0, xmm1);
        a.pmulld(xmm2, xmm3);
        a.pmuldq(xmm4, xmm5);
        a.pcmpeqq(xmm6, xmm7);
        a.pcmpeqq(xmm8, xmm8);
        a.pcmpgtq(xmm9, xmm10);
    }, "legacy arithmetic");

    [Fact]
    public void PtestSetsZeroAndCarry() => Check(a =>
    {
        a.ptest(xmm0, xmm1);
        a.setz(al);
        a.setc(bl);
        a.ptest(xmm2, xmm2);
        a.setz(cl);
        a.setc(dl);
        a.pxor(xmm3, xmm3);
        a.ptest(xmm3, xmm4);
        a.setz(sil);
        a.setc(dil);
        a.ptest(xmm5, __xmmword_ptr[r15 + 0x10]);
        a.setbe(r8b);
        a.vptest(ymm6, ymm7);
        a.seta(r9b);
        a.vptest(ymm8, ymm8);
        a.setz(r10b);
        a.setc(r11b);
        a.vptest(xmm9, __xmmword_ptr[r15 + 0x21]);
        a.setz(r12b);
        a.vptest(ymm10, __ymmword_ptr[r15 + 0x43]);
        a.setc(r13b);
    }, "ptest");

    [Fact]
    public void VexArithmeticBothWidths() => Check(a =>
    {
        a.vpcmpeqb(ymm0, ymm1, ymm2);
        a.vpcmpeqb(xmm3, xmm4, __xmmword_ptr[r15 + 0x11]);
        a.vpcmpeqb(ymm5, ymm6, __ymmword_ptr[r15 + 0x23]);
        a.vpminub(ymm7, ymm8, ymm9);
        a.vpminub(xmm10, xmm11, xmm12);
        a.vpmaxub(ymm13, ymm14, __ymmword_ptr[r15 + 0x40]);
        a.vpand(ymm15, ymm0, ymm1);
        a.vpandn(ymm2, ymm3, __ymmword_ptr[r15 + 0x65]);
        a.vpor(xmm4, xmm5, xmm6);
        a.vpor(ymm7, ymm7, ymm8);
        a.vpxor(ymm9, ymm10, ymm11);
        a.vpxor(xmm12, xmm12, xmm12);
        a.vpsubb(ymm13, ymm14, ymm15);
        a.vpaddd(ymm0, ymm1, __ymmword_ptr[r15 + 0x80]);
        a.vpaddq(xmm2, xmm3, xmm4);
        a.vpsubw(ymm5, ymm6, ymm7);
        a.vpcmpgtb(ymm8, ymm9, ymm10);
        a.vpcmpeqd(xmm11, xmm12, xmm13);
        a.vpcmpeqq(ymm14, ymm15, ymm0);
        a.vpcmpgtq(ymm1, ymm2, ymm3);
        a.vpminsw(ymm4, ymm5, ymm6);
        a.vpmaxsd(ymm7, ymm8, ymm9);
        a.vpminud(xmm10, xmm11, __xmmword_ptr[r15 + 0x99]);
        a.vpmullw(ymm12, ymm13, ymm14);
        a.vpmulld(ymm15, ymm0, ymm1);
        a.vpmuludq(ymm2, ymm3, ymm4);
        a.vpmulhuw(ymm5, ymm6, ymm7);
        a.vpmaddwd(ymm8, ymm9, ymm10);
        a.vpaddusb(ymm11, ymm12, ymm13);
        a.vpsubsw(xmm14, xmm15, xmm0);
        a.vpavgb(ymm1, ymm2, ymm3);
        a.vpsadbw(ymm4, ymm5, ymm6);
        a.vpshufb(ymm7, ymm8, ymm9);
        a.vpshufb(xmm10, xmm11, __xmmword_ptr[r15 + 0xA7]);
        a.vpsignb(ymm12, ymm13, ymm14);
        a.vpabsd(ymm15, ymm0);
        a.vpabsb(xmm1, __xmmword_ptr[r15 + 0xB1]);
        a.vandps(ymm2, ymm3, ymm4);
        a.vxorpd(xmm5, xmm6, xmm7);
        a.vandnps(ymm8, ymm9, ymm10);
        a.vphaddd(ymm11, ymm12, ymm13);
        a.vpmaddubsw(ymm14, ymm15, ymm0);
    }, "vex arithmetic");

    [Fact]
    public void VexShufflesUnpacksAndShifts() => Check(a =>
    {
        a.vpunpcklbw(ymm0, ymm1, ymm2);
        a.vpunpckhbw(xmm3, xmm4, xmm5);
        a.vpunpcklqdq(ymm6, ymm7, __ymmword_ptr[r15 + 0x10]);
        a.vpunpckhdq(ymm8, ymm9, ymm10);
        a.vunpcklps(ymm11, ymm12, ymm13);
        a.vunpckhpd(xmm14, xmm15, xmm0);
        a.vpacksswb(ymm1, ymm2, ymm3);
        a.vpackuswb(ymm4, ymm5, ymm6);
        a.vpackssdw(xmm7, xmm8, xmm9);
        a.vpackusdw(ymm10, ymm11, ymm12);
        a.vpshufd(ymm13, ymm14, 0x1B);
        a.vpshufd(xmm15, __xmmword_ptr[r15 + 0x33], 0x39);
        a.vpshufd(ymm0, __ymmword_ptr[r15 + 0x45], 0xC6);
        a.vpshuflw(ymm1, ymm2, 0x93);
        a.vpshufhw(xmm3, xmm4, 0x4E);
        a.vshufps(ymm5, ymm6, ymm7, 0xB1);
        a.vshufpd(ymm8, ymm9, ymm10, 0x9);
        a.vshufpd(xmm11, xmm12, xmm13, 0x3);
        a.vpalignr(ymm14, ymm15, ymm0, 7);
        a.vpalignr(xmm1, xmm2, __xmmword_ptr[r15 + 0x50], 20);
        a.vpblendw(ymm3, ymm4, ymm5, 0x5A);
        a.vpblendd(ymm6, ymm7, ymm8, 0x96);
        a.vpblendd(xmm9, xmm10, xmm11, 0x6);
        a.vpslldq(ymm12, ymm13, 5);
        a.vpsrldq(ymm14, ymm15, 11);
        a.vpsrldq(xmm0, xmm1, 3);
        a.vpsllw(ymm2, ymm3, 4);
        a.vpslld(xmm4, xmm5, 33);
        a.vpsllq(ymm6, ymm7, 1);
        a.vpsrlw(ymm8, ymm9, 15);
        a.vpsrld(ymm10, ymm11, 12);
        a.vpsrlq(xmm12, xmm13, 32);
        a.vpsraw(ymm14, ymm15, 17);
        a.vpsrad(ymm0, ymm0, 3);
    }, "vex shuffles");

    [Fact]
    public void VexMaskBroadcastZeroUpperAndScalarMoves() => Check(a =>
    {
        a.vpmovmskb(eax, ymm0);
        a.vpmovmskb(ebx, xmm1);
        a.vpmovmskb(r9d, ymm15);
        a.vpbroadcastb(ymm2, xmm3);
        a.vpbroadcastb(xmm4, __byte_ptr[r15 + 0x17]);
        a.vpbroadcastb(ymm5, __byte_ptr[r15 + 0x28]);
        a.vpbroadcastw(ymm6, xmm7);
        a.vpbroadcastd(xmm8, __dword_ptr[r15 + 0x31]);
        a.vpbroadcastq(ymm9, xmm10);
        a.vmovd(xmm11, ecx);
        a.vmovd(xmm12, __dword_ptr[r15 + 0x44]);
        a.vmovq(xmm13, rdx);
        a.vmovq(xmm14, __qword_ptr[r15 + 0x53]);
        a.vmovq(xmm15, xmm2);
        a.vmovd(esi, xmm5);
        a.vmovq(rdi, xmm6);
        a.vmovd(__dword_ptr[r15 + 0x201], xmm9);
        a.vmovq(__qword_ptr[r15 + 0x209], xmm13);
        a.vzeroupper();
        a.vpmovmskb(r10d, ymm2);
    }, "vex moves");

    [Fact]
    public void GlibcStyleAvx2StrlenLoop() => Check(a =>
    {
        // The shape of glibc's strlen-avx2: compare 32 bytes with zero, take the mask, find its lowest bit.
        var top = a.CreateLabel();
        a.mov(__byte_ptr[r15 + 0x3E5], 0);
        a.lea(rdi, __[r15 + 0x100]);
        a.vpxor(xmm0, xmm0, xmm0);
        a.Label(ref top);
        a.vpminub(ymm1, ymm0, __ymmword_ptr[rdi]);
        a.vpcmpeqb(ymm1, ymm1, ymm0);
        a.vpmovmskb(eax, ymm1);
        a.add(rdi, 32);
        a.test(eax, eax);
        a.jz(top);
        a.vzeroupper();
        a.sub(rdi, r15);
    }, "avx2 strlen loop");

    [Fact]
    public void MemorySourcesAcrossAPageKeepPendingFlags() => Check(a =>
    {
        // A flag result kept lazily across vector reads, one on the inline fast path, one crossing a page (the
        // full read, after the registers and flags are published), then read by SETcc and ADC.
        a.add(rax, rbx);
        a.vpminub(ymm1, ymm0, __ymmword_ptr[r15 + 0x40]);
        a.setc(cl);
        a.sub(rdx, rsi);
        a.vpcmpeqb(ymm2, ymm3, __ymmword_ptr[r15 + 0xFF1]);
        a.pshufb(xmm4, __xmmword_ptr[r15 + 0x30]);
        a.setl(r8b);
        a.cmp(rdi, r9);
        a.vpor(xmm5, xmm6, __xmmword_ptr[r15 + 0xFF9]);
        a.punpckhbw(xmm7, __xmmword_ptr[r15 + 0xFF0]);
        a.adc(r10, r11);
        // Flags only a fault could observe (kept lazily), across a read on the fast path, replaced, then left with.
        a.add(rax, rbx);
        a.vpminub(ymm8, ymm0, __ymmword_ptr[r15 + 0x80]);
        a.inc(r12);
        a.vpcmpeqb(ymm9, ymm3, __ymmword_ptr[r15 + 0xFF3]);
        a.sub(r13, r14);
        a.vpxor(xmm10, xmm1, __xmmword_ptr[r15 + 0x90]);
    }, "page-crossing sources");

    private void Check(Action<Assembler> emit, string what)
    {
        var code = DifferentialHarness.Assemble(a =>
        {
            emit(a);
            a.nop();
        });
        // Every vector instruction of the snippet is one the JIT translates inline (else a fall-back would pass too).
        var decoder = Decoder.Create(64, code);
        while (decoder.IP < (ulong)code.Length)
        {
            var i = decoder.Decode();
            var name = i.Code.ToString();
            if (name.Contains("xmm") || name.Contains("ymm") || i.Mnemonic == Mnemonic.Vzeroupper)
                Assert.True(BlockTranslator.CanInline(i, Flags.Status), $"{i} is not inline");
        }
        // The two harnesses own different scratch areas: each gets its own state from the same random sequence.
        var r = new Random(Instructions.IntegerFormTests.StableSeed(what));
        var ri = new Random(Instructions.IntegerFormTests.StableSeed(what));
        int compiled = _f.Jit.Interpreter.Engine.Jit!.CompiledBlocks;
        for (int n = 0; n < 30; n++)
        {
            var s = State(_f.Jit, r, n);
            var diff = _f.Jit.Compare(code, s);
            Assert.True(diff == null, $"{what}, JIT, case {n}: {diff}");
            diff = _f.Interpreter.Compare(code, State(_f.Interpreter, ri, n));
            Assert.True(diff == null, $"{what}, interpreter, case {n}: {diff}");
        }
        Assert.True(_f.Jit.Interpreter.Engine.Jit!.CompiledBlocks > compiled);
    }

    private static unsafe CpuState State(DifferentialHarness h, Random r, int n)
    {
        var s = h.RandomState(r);
        for (int q = 0; q < 64; q++)
            s.Vec[q] = r.Next(4) switch { 0 => 0, 1 => ~0UL, _ => (ulong)r.NextInt64() ^ ((ulong)r.Next() << 63) };
        // Equal qwords make compares, saturation and masks interesting: copy one now and then.
        if (n % 3 == 0) s.Vec[r.Next(64)] = s.Vec[r.Next(64)];
        return s;
    }
}

/// <summary>Memory sources of the forms above fault like the interpreter's handlers: a legacy form's misaligned
/// m128 raises #GP, a VEX form's unmapped m128/m256/m8 raises #PF, each with the state as of the instruction.</summary>
public sealed class JitVectorFormFaultTests : IDisposable
{
    private readonly VectorFaultPair _pair = new();

    public void Dispose() => _pair.Dispose();

    public static TheoryData<int> Cases() => [0, 1, 2, 3, 4, 5, 6, 7];

    [Theory, MemberData(nameof(Cases))]
    public void MemorySourcesFaultAsTheInterpreterDoes(int form)
    {
        var code = DifferentialHarness.Assemble(a =>
        {
            a.add(rax, rbx);                      // flags kept lazily: the fault must see them
            a.mov(rdx, __qword_ptr[r15]);
            switch (form)
            {
                case 0: a.pshufb(xmm1, __xmmword_ptr[r15 + 1]); break;
                case 1: a.punpcklbw(xmm0, __xmmword_ptr[r15 + 8]); break;
                case 2: a.ptest(xmm0, __xmmword_ptr[r15 + 4]); break;
                case 3: a.pshufd(xmm2, __xmmword_ptr[r15 + 2], 0x1B); break;
                case 4: a.vpcmpeqb(ymm0, ymm1, __ymmword_ptr[rsi]); break;
                case 5: a.vpminub(xmm0, xmm1, __xmmword_ptr[rsi + 3]); break;
                case 6: a.vpbroadcastb(ymm0, __byte_ptr[rsi]); break;
                default: a.vptest(ymm3, __ymmword_ptr[rsi]); break;
            }
            a.cmp(r15, r15);
        });
        _pair.AssertSameFault(code, form < 4 ? CpuExceptionKind.GeneralProtection : CpuExceptionKind.PageFault, vectors: true);
    }
}
