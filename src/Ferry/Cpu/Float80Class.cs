namespace Ferry.Cpu;

/// <summary>The operand classes the x87 distinguishes.</summary>
public enum Float80Class
{
    Zero,
    /// <summary>Exponent field 0 with a non-zero significand (includes pseudo-denormals).</summary>
    Denormal,
    Normal,
    Infinity,
    QNaN,
    SNaN,
    /// <summary>Pseudo-NaN, pseudo-infinity or unnormal.</summary>
    Unsupported,
}
