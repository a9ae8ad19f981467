using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Sse;

/// <summary>SSE3 against the host CPU: ADDSUB and horizontal float arithmetic under random MXCSR
/// rounding/DAZ/FTZ, the duplicating moves, LDDQU (misaligned too), and MONITOR/MWAIT raising #UD.</summary>
[Collection("SseNative")]
public sealed class Sse3Tests
{
    private readonly Differential _d;
    private readonly NativeFixture _f;
    public Sse3Tests(NativeFixture f) { _f = f; _d = new Differential(f); }

    public static TheoryData<string> Single => new() { "Addsubps_xmm_xmmm128", "Haddps_xmm_xmmm128", "Hsubps_xmm_xmmm128" };
    public static TheoryData<string> Double => new() { "Addsubpd_xmm_xmmm128", "Haddpd_xmm_xmmm128", "Hsubpd_xmm_xmmm128" };

    [Theory, MemberData(nameof(Single))]
    public void PackedSingle(string code)
    {
        var c = Enum.Parse<Code>(code);
        _d.Check(new FormSpec(c) { Xmm = Lane.F32, Correlate = true, Iterations = 1200 });
        _d.Check(new FormSpec(c) { Xmm = Lane.F32, PairLanes = true, Iterations = 1200 }, 1);
        _d.Check(new FormSpec(c) { Xmm = Lane.F32Edge, PairLanes = true, Correlate = true, Iterations = 600 }, 2);
        _d.Check(new FormSpec(c) { Xmm = Lane.F32Special, Iterations = 400 }, 3);
    }

    [Theory, MemberData(nameof(Double))]
    public void PackedDouble(string code)
    {
        var c = Enum.Parse<Code>(code);
        _d.Check(new FormSpec(c) { Xmm = Lane.F64, Correlate = true, Iterations = 1200 });
        _d.Check(new FormSpec(c) { Xmm = Lane.F64, PairLanes = true, Iterations = 1200 }, 1);
        _d.Check(new FormSpec(c) { Xmm = Lane.F64Edge, PairLanes = true, Correlate = true, Iterations = 600 }, 2);
        _d.Check(new FormSpec(c) { Xmm = Lane.F64Special, Iterations = 400 }, 3);
    }

    [Theory]
    [InlineData(Code.Movsldup_xmm_xmmm128)]
    [InlineData(Code.Movshdup_xmm_xmmm128)]
    [InlineData(Code.Movddup_xmm_xmmm64)]
    public void Moves(Code code) => _d.Check(new FormSpec(code) { FloatEnv = false, Iterations = 100 });

    [Fact]
    public void LddquLoadsMisalignedMemory() =>
        _d.Check(new FormSpec(Code.Lddqu_xmm_m128) { FloatEnv = false, Unaligned = true, Iterations = 100 });

    /// <summary>The host (Linux, CPL 3) raises #UD for MONITOR and MWAIT, checked by the guest program
    /// monitor_mwait_sigill.c against the native run; the interpreter must do the same.</summary>
    [Theory]
    [InlineData(new byte[] { 0x0F, 0x01, 0xC8 })] // monitor
    [InlineData(new byte[] { 0x0F, 0x01, 0xC9 })] // mwait
    public void MonitorAndMwaitAreUndefined(byte[] code)
    {
        var s = new Ferry.Cpu.CpuState();
        s.Reset();
        s.Gpr[0] = _f.Native.Scratch;
        s.Gpr[Ferry.Cpu.CpuState.Rsp] = _f.StackTop;
        var e = _f.Runner.Run(ref s, code);
        Assert.NotNull(e);
        Assert.Equal(Ferry.Cpu.CpuExceptionKind.InvalidOpcode, e!.Kind);
    }
}
