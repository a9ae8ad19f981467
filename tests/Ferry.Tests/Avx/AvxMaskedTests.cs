using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Ferry.Tests.Sse;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Avx;

[Collection("SseNative")]
public sealed class AvxMaskedTests
{
    private readonly Differential _d;
    public AvxMaskedTests(NativeFixture f) => _d = new Differential(f);

    public static TheoryData<string> Forms => AvxForms.Data(
        Mnemonic.Vblendvps, Mnemonic.Vblendvpd, Mnemonic.Vpblendvb,
        Mnemonic.Vmaskmovps, Mnemonic.Vmaskmovpd, Mnemonic.Vpmaskmovd, Mnemonic.Vpmaskmovq);

    [Theory, MemberData(nameof(Forms))]
    public void Select(string code)
    {
        var c = Enum.Parse<Code>(code);
        var n = c.Mnemonic();
        var lane = n is Mnemonic.Vblendvpd or Mnemonic.Vmaskmovpd or Mnemonic.Vpmaskmovq ? Lane.I64 : n == Mnemonic.Vpblendvb ? Lane.I8 : Lane.I32;
        _d.Check(new FormSpec(c) { Xmm = lane, FloatEnv = false, Iterations = 100 });
    }

    /// <summary>Masked-out elements past the end of the accessible memory are not touched: no fault, and
    /// the result matches the host, for loads and stores of every masked-move form.</summary>
    [Theory, MemberData(nameof(Forms))]
    public void MaskedOutElementsPastTheEndDoNotFault(string code)
    {
        var c = Enum.Parse<Code>(code);
        if (c.Mnemonic() is Mnemonic.Vblendvps or Mnemonic.Vblendvpd or Mnemonic.Vpblendvb) return;
        bool wide = c.ToString().Contains("ymm");
        int elem = c.Mnemonic() is Mnemonic.Vmaskmovpd or Mnemonic.Vpmaskmovq ? 8 : 4;
        var r = new Random((int)c);
        Span<byte> m = stackalloc byte[32];
        for (int keep = 0; keep <= (wide ? 32 : 16) / elem; keep++)
        {
            r.NextBytes(_d.ScratchMemory);
            var s = new CpuState();
            s.Reset();
            s.Gpr[CpuState.Rsp] = _d.StackTop;
            for (int x = 0; x < 16; x++) { s.Xmm(x) = SseValues.Vec(r, Lane.Bytes); s.YmmHigh(x) = SseValues.Vec(r, Lane.Bytes); }
            // The operand's first `keep` elements are the last bytes of the scratch area; the mask selects only those.
            s.Gpr[CpuState.Rsi] = _d.ScratchAddress + (ulong)(Ferry.Tests.Oracle.NativeCpu.ScratchSize - keep * elem);
            m.Clear();
            for (int k = 0; k < 32 / elem; k++) m[k * elem + elem - 1] = k < keep && r.Next(4) != 0 ? (byte)0x80 : (byte)0x7F;
            Ferry.Interpreter.VexOperands.Ymm(ref s, 2) = Vector256.Create((ReadOnlySpan<byte>)m);
            var reg = wide ? Register.YMM1 : Register.XMM1;
            var mask = wide ? Register.YMM2 : Register.XMM2;
            var mem = new MemoryOperand(Register.RSI);
            var ins = c.ToOpCode().GetOpKind(0) == OpCodeOperandKind.mem ? Instruction.Create(c, mem, mask, reg) : Instruction.Create(c, reg, mask, mem);
            _d.CheckFixed(ins, s);
        }
    }

    public static TheoryData<string> RoundForms => AvxForms.Data(Mnemonic.Vroundps, Mnemonic.Vroundpd, Mnemonic.Vroundss, Mnemonic.Vroundsd);

    [Theory, MemberData(nameof(RoundForms))]
    public void Round(string code)
    {
        var c = Enum.Parse<Code>(code);
        var lane = c.Mnemonic() is Mnemonic.Vroundps or Mnemonic.Vroundss ? Lane.F32Int : Lane.F64Int;
        _d.Check(new FormSpec(c) { Xmm = lane, Iterations = 300, Imm = Enumerable.Range(0, 16).Concat([0xF0, 0xFF]).ToArray() });
        _d.Check(new FormSpec(c) { Xmm = lane == Lane.F32Int ? Lane.F32 : Lane.F64, Iterations = 300, Imm = Enumerable.Range(0, 16).ToArray() }, seed: 1);
    }

    public static TheoryData<string> DotForms => AvxForms.Data(Mnemonic.Vdpps, Mnemonic.Vdppd);

    [Theory, MemberData(nameof(DotForms))]
    public void DotProduct(string code)
    {
        var c = Enum.Parse<Code>(code);
        _d.Check(new FormSpec(c) { Xmm = c.Mnemonic() == Mnemonic.Vdpps ? Lane.F32 : Lane.F64, Correlate = true, Iterations = 400 });
    }

    public static TheoryData<string> MxcsrForms => AvxForms.Data(Mnemonic.Vldmxcsr, Mnemonic.Vstmxcsr);

    [Theory, MemberData(nameof(MxcsrForms))]
    public void Mxcsr(string code) => _d.Check(new FormSpec(Enum.Parse<Code>(code)) { Src = Lane.Mxcsr, Iterations = 60 });
}
