namespace Ferry.Cpu;

public static partial class Float80Math
{
    /// <summary>The outcome of an x87 comparison.</summary>

    /// <summary>FCOM (any NaN is invalid) or FUCOM (<paramref name="quiet"/>: only signaling NaNs are).</summary>
    public static Ordering Compare(Float80 a, Float80 b, bool quiet, ref ushort flags)
    {
        var ca = a.Class;
        var cb = b.Class;
        if (ca == Float80Class.Unsupported || cb == Float80Class.Unsupported)
        {
            flags |= X87Status.IE;
            return Ordering.Unordered;
        }
        if (ca is Float80Class.QNaN or Float80Class.SNaN || cb is Float80Class.QNaN or Float80Class.SNaN)
        {
            if (!quiet || ca == Float80Class.SNaN || cb == Float80Class.SNaN) flags |= X87Status.IE;
            return Ordering.Unordered;
        }
        if (ca == Float80Class.Denormal || cb == Float80Class.Denormal) flags |= X87Status.DE;
        int m = Magnitude(a, ca).CompareTo(Magnitude(b, cb));
        bool za = ca == Float80Class.Zero, zb = cb == Float80Class.Zero;
        if (za && zb) return Ordering.Equal;
        if (a.Sign != b.Sign) return a.Sign ? Ordering.Less : Ordering.Greater;
        if (m == 0) return Ordering.Equal;
        return (m < 0) ^ a.Sign ? Ordering.Less : Ordering.Greater;
    }

    /// <summary>A key that orders non-NaN magnitudes, treating pseudo-denormals by their value.</summary>
    private static UInt128 Magnitude(Float80 x, Float80Class c)
    {
        if (c == Float80Class.Zero) return 0;
        if (c == Float80Class.Infinity) return UInt128.MaxValue;
        Unpack(x, out int e, out ulong m);
        return ((UInt128)(uint)(e + 64) << 64) | m;
    }
}
