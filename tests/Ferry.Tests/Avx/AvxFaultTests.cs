using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Ferry.Tests.Sse;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Avx;

/// <summary>Faults of VEX forms that the host cannot be asked about without a signal: the aligned moves
/// raise #GP on a misaligned operand (16 bytes for VEX.128, 32 for VEX.256) while every other VEX form
/// accepts any alignment; invalid VEX encodings raise #UD; an unmasked SIMD exception leaves the
/// destination as it was.</summary>
[Collection("SseNative")]
public sealed unsafe class AvxFaultTests
{
    private readonly NativeFixture _f;
    public AvxFaultTests(NativeFixture f) => _f = f;

    private CpuState NewState()
    {
        var s = new CpuState();
        s.Reset();
        var r = new Random(7);
        for (int x = 0; x < 16; x++) { s.Xmm(x) = SseValues.Vec(r, Lane.F32); s.YmmHigh(x) = SseValues.Vec(r, Lane.F32); }
        s.Gpr[CpuState.Rsi] = _f.Native.Scratch + 0x1000;
        return s;
    }

    private CpuException? Run(in Instruction ins, ref CpuState s) => _f.Runner.Run(ref s, Differential.Encode(ins));

    private static bool Same(CpuState a, CpuState b) =>
        new ReadOnlySpan<byte>(&a, sizeof(CpuState)).SequenceEqual(new ReadOnlySpan<byte>(&b, sizeof(CpuState)));

    public static TheoryData<string> AlignedForms()
    {
        var d = new TheoryData<string>();
        foreach (var c in AvxForms.Of(Mnemonic.Vmovaps, Mnemonic.Vmovapd, Mnemonic.Vmovdqa, Mnemonic.Vmovntps, Mnemonic.Vmovntpd, Mnemonic.Vmovntdq, Mnemonic.Vmovntdqa))
        {
            var op = c.ToOpCode();
            if (Enumerable.Range(0, op.OpCount).Any(k => op.GetOpKind(k) is OpCodeOperandKind.mem or OpCodeOperandKind.xmm_or_mem or OpCodeOperandKind.ymm_or_mem))
                d.Add(c.ToString());
        }
        return d;
    }

    private static Instruction MemForm(Code c, int disp)
    {
        var op = c.ToOpCode();
        var mem = new MemoryOperand(Register.RSI, disp);
        var reg = op.GetOpKind(0) is OpCodeOperandKind.ymm_reg || op.GetOpKind(1) is OpCodeOperandKind.ymm_reg ? Register.YMM2 : Register.XMM2;
        return op.GetOpKind(0) is OpCodeOperandKind.mem or OpCodeOperandKind.xmm_or_mem or OpCodeOperandKind.ymm_or_mem
            ? Instruction.Create(c, mem, reg) : Instruction.Create(c, reg, mem);
    }

    [Theory, MemberData(nameof(AlignedForms))]
    public void AlignedMoveFaultsWhenMisaligned(string code)
    {
        var c = Enum.Parse<Code>(code);
        int size = MemForm(c, 0).MemorySize.GetSize();
        foreach (int off in new[] { 1, 4, 8, 15, 16 })
        {
            if (off >= size) continue;
            var s = NewState();
            var after = s;
            var e = Run(MemForm(c, off), ref after);
            Assert.True(e?.Kind == CpuExceptionKind.GeneralProtection, $"{c} at +{off}: expected #GP, got {e?.Kind.ToString() ?? "none"}");
            after.Rip = s.Rip;
            Assert.True(Same(s, after), $"{c}: state changed by a faulting instruction");
        }
        var ok = NewState();
        Assert.Null(Run(MemForm(c, 0), ref ok));
    }

    /// <summary>VEX arithmetic, logic and unaligned moves on a misaligned 32-byte operand do not fault.</summary>
    [Theory]
    [InlineData(Code.VEX_Vaddps_ymm_ymm_ymmm256)]
    [InlineData(Code.VEX_Vpcmpeqb_ymm_ymm_ymmm256)]
    [InlineData(Code.VEX_Vpminub_xmm_xmm_xmmm128)]
    [InlineData(Code.VEX_Vpor_ymm_ymm_ymmm256)]
    [InlineData(Code.VEX_Vfmadd231pd_ymm_ymm_ymmm256)]
    public void ArithmeticAcceptsMisalignedMemory(Code c)
    {
        var s = NewState();
        var ins = Instruction.Create(c, c.ToString().Contains("ymm") ? Register.YMM1 : Register.XMM1, c.ToString().Contains("ymm") ? Register.YMM2 : Register.XMM2, new MemoryOperand(Register.RSI, 3));
        Assert.Null(Run(ins, ref s));
    }

    /// <summary>Encodings Intel defines as #UD: VEX after a 66/F2/F3/REX/LOCK prefix, VEX.vvvv not 1111b
    /// where the form has no vvvv operand, and VEX.L=1 on a 128-bit-only form.</summary>
    [Theory]
    [InlineData("66C5F96FC1")]   // 66 before VEX
    [InlineData("F3C5F96FC1")]   // F3 before VEX
    [InlineData("F2C5F96FC1")]   // F2 before VEX
    [InlineData("40C5F96FC1")]   // REX before VEX
    [InlineData("F0C5F96FC1")]   // LOCK
    [InlineData("C5B96FC1")]     // vmovdqa with vvvv = 0111b
    [InlineData("C5FD6EC0")]     // vmovd with VEX.L = 1
    [InlineData("C4E37D14C000")] // vpextrb with VEX.L = 1
    [InlineData("C4E27D5AC0")]   // vbroadcasti128 from a register
    public void InvalidEncodingRaisesUD(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        var s = NewState();
        var before = s;
        var e = _f.Runner.Run(ref s, bytes);
        Assert.True(e?.Kind == CpuExceptionKind.InvalidOpcode, $"{hex}: expected #UD, got {e?.Kind.ToString() ?? "none"}");
        s.Rip = before.Rip;
        Assert.True(Same(before, s), $"{hex}: state changed");
    }

    /// <summary>An unmasked SIMD exception (#XM) in a VEX.256 form sets the flag and leaves all 256 bits of
    /// the destination unchanged.</summary>
    [Fact]
    public void UnmaskedExceptionKeepsDestination()
    {
        var s = NewState();
        s.Mxcsr = 0x1F80 & ~(MxcsrBits.ZE << MxcsrBits.MaskShift);
        Ferry.Interpreter.VexOperands.Ymm(ref s, 2) = Vector256.Create(1.0f).AsByte();
        Ferry.Interpreter.VexOperands.Ymm(ref s, 3) = Vector256.Create(1f, 1f, 1f, 1f, 1f, 0f, 1f, 1f).AsByte();
        var before = s;
        var e = Run(Instruction.Create(Code.VEX_Vdivps_ymm_ymm_ymmm256, Register.YMM1, Register.YMM2, Register.YMM3), ref s);
        Assert.Equal(CpuExceptionKind.SimdError, e?.Kind);
        Assert.Equal(before.Xmm(1), s.Xmm(1));
        Assert.Equal(before.YmmHigh(1), s.YmmHigh(1));
        Assert.Equal(MxcsrBits.ZE, s.Mxcsr & MxcsrBits.AllFlags);
    }
}
