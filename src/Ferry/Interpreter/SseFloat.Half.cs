using static Ferry.Cpu.MxcsrBits;

namespace Ferry.Interpreter;

public static partial class SseFloat
{
    private struct F16 : IFormat
    {
        public static int MantBits => 10;
        public static int Bias => 15;
        public static int SignShift => 15;
    }

    /// <summary>VCVTPH2PS lane: binary16 to binary32, always exact; an SNaN is quieted and invalid.</summary>
    public static uint F16ToF32(ushort h, uint mxcsr, ref uint flags)
    {
        // Half-precision denormals are converted, never flushed (DAZ does not apply to this source).
        var x = Unpack<F16>(h, mxcsr & ~DAZ);
        switch (x.Kind)
        {
            case Kind.QNaN or Kind.SNaN:
                if (x.Kind == Kind.SNaN) flags |= IE;
                return ((uint)(h >> 15) << 31) | 0x7FC0_0000u | ((uint)(h & 0x1FF) << 13);
            case Kind.Inf: return (uint)InfOf<F32>(x.Sign);
            case Kind.Zero: return (uint)ZeroOf<F32>(x.Sign);
        }
        uint ignored = 0;
        return (uint)RoundPack<F32>(x.Sign, x.Exp + 10, x.Sig, mxcsr & ~FTZ, ref ignored);
    }

    /// <summary>VCVTPS2PH lane: binary32 to binary16, rounded by <paramref name="mxcsr"/>'s RC (the caller
    /// substitutes the immediate's rounding), with DAZ on the source, no FTZ, and the usual exception flags.</summary>
    public static ushort F32ToF16(uint a, uint mxcsr, ref uint flags)
    {
        var x = Unpack<F32>(a, mxcsr);
        switch (x.Kind)
        {
            case Kind.QNaN or Kind.SNaN:
                if (x.Kind == Kind.SNaN) flags |= IE;
                return (ushort)(((a >> 31) << 15) | 0x7E00u | ((a >> 13) & 0x1FF));
            case Kind.Inf: return (ushort)InfOf<F16>(x.Sign);
            case Kind.Zero: return (ushort)ZeroOf<F16>(x.Sign);
        }
        if (x.Denormal) flags |= DE;
        // FTZ does not apply: tiny results become binary16 denormals (measured on the reference host).
        return (ushort)RoundPack<F16>(x.Sign, x.Exp + 10, x.Sig, mxcsr & ~FTZ, ref flags);
    }
}
