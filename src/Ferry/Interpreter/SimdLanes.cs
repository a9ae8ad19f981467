using System.Runtime.Intrinsics;

namespace Ferry.Interpreter;

/// <summary>The SSE4.1 blends on one 128-bit lane: the legacy forms' semantics, which the VEX forms apply to
/// each lane. (The other
/// SSSE3–SSE4.2 lane semantics are Ssse3Int's, Sse41Int's and StringCompare's, shared with the legacy forms.)</summary>
public static class SimdLanes
{
    /// <summary>PBLENDW: word k from b when imm bit k is set.</summary>
    public static Vector128<byte> BlendW(Vector128<byte> a, Vector128<byte> b, int imm)
    {
        var x = a.AsUInt16(); var y = b.AsUInt16();
        for (int k = 0; k < 8; k++) if ((imm >> k & 1) != 0) x = x.WithElement(k, y[k]);
        return x.AsByte();
    }

    /// <summary>BLENDPS / VPBLENDD: dword k from b when imm bit k is set.</summary>
    public static Vector128<byte> BlendD(Vector128<byte> a, Vector128<byte> b, int imm)
    {
        var x = a.AsUInt32(); var y = b.AsUInt32();
        for (int k = 0; k < 4; k++) if ((imm >> k & 1) != 0) x = x.WithElement(k, y[k]);
        return x.AsByte();
    }

    /// <summary>BLENDPD: qword k from b when imm bit k is set.</summary>
    public static Vector128<byte> BlendQ(Vector128<byte> a, Vector128<byte> b, int imm)
    {
        var x = a.AsUInt64(); var y = b.AsUInt64();
        for (int k = 0; k < 2; k++) if ((imm >> k & 1) != 0) x = x.WithElement(k, y[k]);
        return x.AsByte();
    }

    /// <summary>PBLENDVB: byte k from b when the mask byte's top bit is set.</summary>
    public static Vector128<byte> BlendVB(Vector128<byte> a, Vector128<byte> b, Vector128<byte> mask) =>
        Vector128.ConditionalSelect(Vector128.ShiftRightArithmetic(mask.AsSByte(), 7).AsByte(), b, a);

    /// <summary>BLENDVPS: dword k from b when the mask dword's sign bit is set.</summary>
    public static Vector128<byte> BlendVD(Vector128<byte> a, Vector128<byte> b, Vector128<byte> mask) =>
        Vector128.ConditionalSelect(Vector128.ShiftRightArithmetic(mask.AsInt32(), 31).AsByte(), b, a);

    /// <summary>BLENDVPD: qword k from b when the mask qword's sign bit is set.</summary>
    public static Vector128<byte> BlendVQ(Vector128<byte> a, Vector128<byte> b, Vector128<byte> mask) =>
        Vector128.ConditionalSelect(Vector128.ShiftRightArithmetic(mask.AsInt64(), 63).AsByte(), b, a);
}
