using Ferry.Cpu;
using Ferry.Tests.Oracle;
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Ferry.Tests.Jit;

/// <summary>The SSE moves and XORs the JIT translates inline, in compiled loops, against the host CPU from random
/// XMM contents (the upper YMM halves must survive the legacy forms).</summary>
public sealed class JitVectorTests : IClassFixture<JitFormTests.Fixture>
{
    private readonly DifferentialHarness _h;
    public JitVectorTests(JitFormTests.Fixture f) => _h = f.H;

    [Fact]
    public void MovesAndXorsInALoop() => Check(a =>
    {
        var top = a.CreateLabel();
        a.mov(ecx, 9);
        a.jmp(top);
        a.Label(ref top);
        a.movdqu(xmm1, __xmmword_ptr[r15 + rcx + 3]);
        a.pxor(xmm1, xmm2);
        a.movaps(xmm3, xmm1);
        a.xorps(xmm4, xmm3);
        a.movdqa(xmm5, xmm4);
        a.movups(__xmmword_ptr[r15 + rcx * 8 + 0x40], xmm5);
        a.movupd(xmm6, __xmmword_ptr[r15 + 0xFF9]); // crosses a page: the checked read completes it
        a.xorpd(xmm7, xmm6);
        a.movapd(xmm8, xmm7);
        a.movups(xmm9, xmm8);
        a.movdqu(xmm10, xmm9);
        a.pxor(xmm11, xmm11);
        a.add(rax, rcx);
        a.dec(ecx);
        a.jnz(top);
    }, "sse loop");

    [Fact]
    public void MemoryOperandsWithIndexAndSegmentlessBases() => Check(a =>
    {
        a.and(edx, 0xFF);
        a.lea(rsi, __[r15 + 0x200]);
        a.movdqu(xmm12, __xmmword_ptr[rsi + rdx * 1 - 0x100]);
        a.movups(xmm13, __xmmword_ptr[rsi + 0x11]);
        a.xorps(xmm12, xmm13);
        a.movdqa(xmm15, xmm12);
    }, "sse memory operands");

    private void Check(Action<Assembler> emit, string what)
    {
        var code = DifferentialHarness.Assemble(a =>
        {
            emit(a);
            a.nop();
        });
        var r = new Random(Instructions.IntegerFormTests.StableSeed(what));
        for (int n = 0; n < 30; n++)
        {
            var s = _h.RandomState(r);
            for (int q = 0; q < 64; q++) s.Vec[q] = (ulong)r.NextInt64() ^ ((ulong)r.Next() << 63);
            var diff = _h.Compare(code, s);
            Assert.True(diff == null, $"{what}, case {n}: {diff}");
        }
    }
}
