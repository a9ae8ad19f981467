using Ferry.Tests.Sse;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Avx;

/// <summary>FMA3 against the host CPU: single rounding in every MXCSR rounding mode, DAZ/FTZ, flags,
/// NaN propagation order, and operands related so that cancellation and exact zeros happen often.</summary>
[Collection("SseNative")]
public sealed class FmaTests
{
    private readonly Differential _d;
    public FmaTests(NativeFixture f) => _d = new Differential(f);

    public static readonly Mnemonic[] All =
    [
        Mnemonic.Vfmadd132ps, Mnemonic.Vfmadd213ps, Mnemonic.Vfmadd231ps, Mnemonic.Vfmadd132pd, Mnemonic.Vfmadd213pd, Mnemonic.Vfmadd231pd,
        Mnemonic.Vfmadd132ss, Mnemonic.Vfmadd213ss, Mnemonic.Vfmadd231ss, Mnemonic.Vfmadd132sd, Mnemonic.Vfmadd213sd, Mnemonic.Vfmadd231sd,
        Mnemonic.Vfmsub132ps, Mnemonic.Vfmsub213ps, Mnemonic.Vfmsub231ps, Mnemonic.Vfmsub132pd, Mnemonic.Vfmsub213pd, Mnemonic.Vfmsub231pd,
        Mnemonic.Vfmsub132ss, Mnemonic.Vfmsub213ss, Mnemonic.Vfmsub231ss, Mnemonic.Vfmsub132sd, Mnemonic.Vfmsub213sd, Mnemonic.Vfmsub231sd,
        Mnemonic.Vfnmadd132ps, Mnemonic.Vfnmadd213ps, Mnemonic.Vfnmadd231ps, Mnemonic.Vfnmadd132pd, Mnemonic.Vfnmadd213pd, Mnemonic.Vfnmadd231pd,
        Mnemonic.Vfnmadd132ss, Mnemonic.Vfnmadd213ss, Mnemonic.Vfnmadd231ss, Mnemonic.Vfnmadd132sd, Mnemonic.Vfnmadd213sd, Mnemonic.Vfnmadd231sd,
        Mnemonic.Vfnmsub132ps, Mnemonic.Vfnmsub213ps, Mnemonic.Vfnmsub231ps, Mnemonic.Vfnmsub132pd, Mnemonic.Vfnmsub213pd, Mnemonic.Vfnmsub231pd,
        Mnemonic.Vfnmsub132ss, Mnemonic.Vfnmsub213ss, Mnemonic.Vfnmsub231ss, Mnemonic.Vfnmsub132sd, Mnemonic.Vfnmsub213sd, Mnemonic.Vfnmsub231sd,
        Mnemonic.Vfmaddsub132ps, Mnemonic.Vfmaddsub213ps, Mnemonic.Vfmaddsub231ps, Mnemonic.Vfmaddsub132pd, Mnemonic.Vfmaddsub213pd, Mnemonic.Vfmaddsub231pd,
        Mnemonic.Vfmsubadd132ps, Mnemonic.Vfmsubadd213ps, Mnemonic.Vfmsubadd231ps, Mnemonic.Vfmsubadd132pd, Mnemonic.Vfmsubadd213pd, Mnemonic.Vfmsubadd231pd,
    ];

    public static TheoryData<string> Forms => AvxForms.Data(All);

    private static Lane LaneOf(Code c, bool edge)
    {
        bool single = c.Mnemonic().ToString().EndsWith('s') && c.Mnemonic().ToString()[^2] is 'p' or 's';
        return single ? (edge ? Lane.F32Edge : Lane.F32) : (edge ? Lane.F64Edge : Lane.F64);
    }

    [Theory, MemberData(nameof(Forms))]
    public void Random(string code)
    {
        var c = Enum.Parse<Code>(code);
        _d.Check(new FormSpec(c) { Xmm = LaneOf(c, false), Correlate = true, Iterations = 500 });
    }

    [Theory, MemberData(nameof(Forms))]
    public void RangeBoundaries(string code)
    {
        var c = Enum.Parse<Code>(code);
        _d.Check(new FormSpec(c) { Xmm = LaneOf(c, true), Correlate = true, Iterations = 200 });
    }
}
