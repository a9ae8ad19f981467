using Ferry.Cpu;
using Ferry.Jit;
using Ferry.Tests.Oracle;
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.Jit;

/// <summary>The packed SSE/SSE2 operations and the 128/256-bit moves the JIT translates inline, compiled
/// (threshold 1) and run against the host CPU from random vector contents (the legacy forms must keep the upper
/// YMM halves, the VEX.128 forms zero them); and the aligned forms' #GP against the interpreter.</summary>
public sealed class JitPackedSseTests : IClassFixture<JitFormTests.Fixture>
{
    private readonly DifferentialHarness _h;
    public JitPackedSseTests(JitFormTests.Fixture f) => _h = f.H;

    [Fact]
    public void IntegerAndBitwiseOperations() => Check(a =>
    {
        a.pand(xmm0, xmm1);
        a.pandn(xmm2, __xmmword_ptr[r15 + 0x10]);
        a.por(xmm3, xmm4);
        a.pxor(xmm5, __xmmword_ptr[r15 + 0x20]);
        a.andps(xmm6, xmm7);
        a.andnpd(xmm8, xmm9);
        a.orps(xmm10, __xmmword_ptr[r15 + 0x30]);
        a.xorpd(xmm11, xmm12);
        a.paddb(xmm0, xmm13);
        a.paddw(xmm1, __xmmword_ptr[r15 + 0x40]);
        a.paddd(xmm2, xmm14);
        a.paddq(xmm3, xmm15);
        a.psubb(xmm4, xmm0);
        a.psubw(xmm5, xmm1);
        a.psubd(xmm6, __xmmword_ptr[r15 + 0x50]);
        a.psubq(xmm7, xmm2);
        a.pcmpeqb(xmm8, xmm3);
        a.pcmpeqw(xmm9, xmm9);
        a.pcmpeqd(xmm10, __xmmword_ptr[r15 + 0x60]);
        a.pcmpgtb(xmm11, xmm4);
        a.pcmpgtw(xmm12, xmm5);
        a.pcmpgtd(xmm13, xmm6);
        a.pminub(xmm14, xmm7);
        a.pmaxub(xmm15, xmm8);
        a.pminsw(xmm0, xmm9);
        a.pmaxsw(xmm1, __xmmword_ptr[r15 + 0x70]);
        a.pmullw(xmm2, xmm10);
        a.pmuludq(xmm3, xmm11);
        a.pmuludq(xmm4, __xmmword_ptr[r15 + 0x80]);
    }, "packed integer");

    [Fact]
    public void StrlenStyleLoop() => Check(a =>
    {
        // glibc's SSE2 strlen: compare 16 bytes with zero, take the mask, test it.
        var top = a.CreateLabel();
        var done = a.CreateLabel();
        a.mov(__byte_ptr[r15 + 0x1F7], 0);
        a.lea(rdi, __[r15 + 0x100]);
        a.pxor(xmm0, xmm0);
        a.Label(ref top);
        a.movdqa(xmm1, __xmmword_ptr[rdi]);
        a.pcmpeqb(xmm1, xmm0);
        a.pmovmskb(eax, xmm1);
        a.add(rdi, 16);
        a.test(eax, eax);
        a.jz(top);
        a.Label(ref done);
        a.sub(rdi, r15);
    }, "strlen loop");

    [Fact]
    public void LegacyMovesLoadsAndStores() => Check(a =>
    {
        var top = a.CreateLabel();
        a.mov(ecx, 12);
        a.Label(ref top);
        a.movdqa(xmm1, __xmmword_ptr[r15 + rcx * 8 + 0x40]); // RCX even: aligned
        a.movaps(__xmmword_ptr[r15 + 0x200], xmm1);
        a.movups(xmm2, __xmmword_ptr[r15 + rcx + 3]);
        a.movdqu(__xmmword_ptr[r15 + rcx + 0x301], xmm2);
        a.movupd(__xmmword_ptr[r15 + 0xFF8], xmm3); // crosses a page
        a.movapd(xmm4, xmm2);
        a.movdqa(__xmmword_ptr[r15 + 0x400], xmm4);
        a.sub(ecx, 2);
        a.jnz(top);
    }, "sse moves");

    [Fact]
    public void VexMovesZeroTheUpperHalfOfNarrowForms() => Check(a =>
    {
        var top = a.CreateLabel();
        a.mov(ecx, 4);
        a.Label(ref top);
        a.vmovdqu(ymm0, __ymmword_ptr[r15 + rcx * 8 + 1]);
        a.vmovdqa(__ymmword_ptr[r15 + 0x200], ymm0);
        a.vmovups(ymm1, __ymmword_ptr[r15 + 0xFF0]); // crosses a page
        a.vmovaps(ymm2, __ymmword_ptr[r15 + 0x40]);
        a.vmovdqu(__ymmword_ptr[r15 + rcx + 0x301], ymm2);
        a.vmovdqa(xmm3, __xmmword_ptr[r15 + 0x80]);
        a.vmovdqu(xmm4, __xmmword_ptr[r15 + 0x91]);
        a.vmovups(__xmmword_ptr[r15 + 0x501], xmm4);
        a.vmovapd(__xmmword_ptr[r15 + 0x600], xmm3);
        a.vmovdqa(ymm5, ymm1);
        a.vmovdqu(xmm6, xmm1);
        a.vmovaps(xmm7, xmm2);
        a.vmovupd(ymm8, ymm0);
        a.dec(ecx);
        a.jnz(top);
    }, "vex moves");

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
            if (name.Contains("xmm") || name.Contains("ymm")) Assert.True(BlockTranslator.CanInline(i, Flags.Status), $"{i} is not inline");
        }
        var r = new Random(Instructions.IntegerFormTests.StableSeed(what));
        int compiled = _h.Interpreter.Engine.Jit!.CompiledBlocks;
        for (int n = 0; n < 30; n++)
        {
            var s = _h.RandomState(r);
            for (int q = 0; q < 64; q++) s.Vec[q] = r.Next(4) == 0 ? 0 : (ulong)r.NextInt64() ^ ((ulong)r.Next() << 63);
            var diff = _h.Compare(code, s);
            Assert.True(diff == null, $"{what}, case {n}: {diff}");
        }
        Assert.True(_h.Interpreter.Engine.Jit!.CompiledBlocks > compiled);
    }
}

/// <summary>The aligned packed forms fault with #GP on a misaligned address, before the page is checked, with
/// the state as of the instruction, as the interpreter's handlers do.</summary>
public sealed class JitPackedSseFaultTests : IDisposable
{
    private readonly VectorFaultPair _pair = new();

    public void Dispose() => _pair.Dispose();

    public static TheoryData<int> Cases() => [0, 1, 2, 3, 4, 5, 6];

    [Theory, MemberData(nameof(Cases))]
    public void MisalignedAlignedFormsRaiseGeneralProtection(int form)
    {
        var code = DifferentialHarness.Assemble(a =>
        {
            a.add(rax, rbx);                      // flags kept lazily: the fault must see them
            a.mov(rdx, __qword_ptr[r15]);
            switch (form)
            {
                case 0: a.movdqa(xmm0, __xmmword_ptr[r15 + 8]); break;
                case 1: a.movaps(__xmmword_ptr[r15 + 4], xmm0); break;
                case 2: a.paddd(xmm1, __xmmword_ptr[r15 + 1]); break;
                case 3: a.vmovdqa(ymm0, __ymmword_ptr[r15 + 16]); break;
                case 4: a.vmovaps(__ymmword_ptr[r15 + 8], ymm1); break;
                case 5: a.movdqa(xmm0, __xmmword_ptr[rsi + 8]); break; // misaligned and unmapped: #GP first
                default: a.movdqu(xmm0, __xmmword_ptr[rsi]); break;    // unaligned form, unmapped: #PF
            }
            a.cmp(r15, r15);
        });
        _pair.AssertSameFault(code, form == 6 ? CpuExceptionKind.PageFault : CpuExceptionKind.GeneralProtection, vectors: false);
    }
}
