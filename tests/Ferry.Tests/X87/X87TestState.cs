using Ferry.Cpu;

namespace Ferry.Tests.X87;

/// <summary>Builds x87 register stacks for test cases.</summary>
public static class X87TestState
{
    /// <summary>Loads ST(0)…ST(n−1) with <paramref name="values"/> at a random TOP; the other
    /// registers get random contents and are sometimes valid, so pushes may overflow.</summary>
    public static void SetStack(ref CpuState s, X87Values v, params Float80[] values)
    {
        s.FpTop = (byte)v.Rng.Next(8);
        s.FpEmpty = 0xFF;
        for (int r = 0; r < 8; r++) s.Fpr[r] = v.Any();
        for (int i = 0; i < values.Length; i++)
        {
            int r = (s.FpTop + i) & 7;
            s.Fpr[r] = values[i];
            s.FpEmpty &= (byte)~(1 << r);
        }
        // Occasionally: the whole stack in use (pushes overflow) or a used register emptied (underflow).
        int k = v.Rng.Next(40);
        if (k == 0) s.FpEmpty = 0;
        else if (k == 1 && values.Length > 0) s.FpEmpty |= (byte)(1 << ((s.FpTop + v.Rng.Next(values.Length)) & 7));
        s.Fsw = v.StatusWord();
    }
}
