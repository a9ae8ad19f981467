namespace Ferry.Cpu;

/// <summary>Bits of the x87 status and control words.</summary>
public static class X87Status
{
    public const ushort IE = 0x0001, DE = 0x0002, ZE = 0x0004, OE = 0x0008, UE = 0x0010, PE = 0x0020,
        SF = 0x0040, ES = 0x0080, C0 = 0x0100, C1 = 0x0200, C2 = 0x0400, C3 = 0x4000, B = 0x8000;
    /// <summary>The six exception flags (and, in the control word, their masks).</summary>
    public const ushort Exceptions = 0x003F;
    public const ushort ConditionCodes = C0 | C1 | C2 | C3;

    /// <summary>Rounding control field (FCW bits 10–11).</summary>
    public const int RoundNearest = 0, RoundDown = 1, RoundUp = 2, RoundChop = 3;

    public static int RoundingControl(ushort fcw) => (fcw >> 10) & 3;

    /// <summary>Significand bits selected by precision control (FCW bits 8–9); 01 is reserved and
    /// behaves as 24 bits... no: reserved encodings act like 64 bits.</summary>
    public static int Precision(ushort fcw) => ((fcw >> 8) & 3) switch { 0 => 24, 2 => 53, _ => 64 };
}
