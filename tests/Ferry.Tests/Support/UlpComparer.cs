using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Ferry.Tests.Support;

/// <summary>Compares program outputs in which some long double results are printed as <c>~%La</c>
/// (a tilde, then a hex float). The x87 transcendentals (FSIN, FYL2X, F2XM1, FPATAN...) are
/// specified only to within one ulp, and Intel and AMD parts differ in the last bit; Ferry matches
/// the host in about 95% of cases and is never further than one ulp. Marked values may therefore
/// differ by one ulp of a 64-bit mantissa; every other character must match exactly.</summary>
public static partial class UlpComparer
{
    [GeneratedRegex(@"~(-?0x[0-9a-fA-F]+(?:\.[0-9a-fA-F]*)?p[+-]\d+)")]
    private static partial Regex Marked();

    /// <summary>Null when <paramref name="actual"/> matches <paramref name="expected"/>, else a description of the first difference.</summary>
    public static string? Difference(string expected, string actual, int ulps = 1)
    {
        var e = Marked().Matches(expected);
        var a = Marked().Matches(actual);
        string skeletonE = Marked().Replace(expected, "~"), skeletonA = Marked().Replace(actual, "~");
        if (skeletonE != skeletonA || e.Count != a.Count) return FirstLineDifference(expected, actual);
        for (int k = 0; k < e.Count; k++)
        {
            string x = e[k].Groups[1].Value, y = a[k].Groups[1].Value;
            if (x == y) continue;
            var d = Distance(x, y);
            if (d > ulps) return $"{x} and {y} are {d} ulp apart (line {expected[..e[k].Index].Count(c => c == '\n') + 1})";
        }
        return null;
    }

    private static string FirstLineDifference(string expected, string actual)
    {
        var el = expected.Split('\n');
        var al = actual.Split('\n');
        for (int k = 0; k < Math.Max(el.Length, al.Length); k++)
        {
            string x = k < el.Length ? el[k] : "<end>", y = k < al.Length ? al[k] : "<end>";
            if (Marked().Replace(x, "~") != Marked().Replace(y, "~")) return $"line {k + 1} differs:\n  native: {x}\n  ferry:  {y}";
        }
        return "outputs differ";
    }

    /// <summary>The distance in units of the last place of a 64-bit mantissa.</summary>
    public static BigInteger Distance(string x, string y)
    {
        var (mx, ex) = Parse(x);
        var (my, ey) = Parse(y);
        if (mx.Sign != my.Sign && !mx.IsZero && !my.IsZero) return BigInteger.Pow(2, 64);
        int e = Math.Min(ex, ey);
        var diff = BigInteger.Abs((mx << (ex - e)) - (my << (ey - e)));
        // One ulp of the smaller non-zero magnitude (the finer one, so the measure never flatters),
        // but never below the denormal spacing 2^-16445.
        BigInteger ax = BigInteger.Abs(mx << (ex - e)), ay = BigInteger.Abs(my << (ey - e));
        var big = ax.IsZero ? ay : ay.IsZero ? ax : BigInteger.Min(ax, ay);
        long topBit = big.IsZero ? 0 : (long)big.GetBitLength() - 1 + e;
        long ulpExp = Math.Max(topBit - 63, -16445);
        if (ulpExp <= e) return diff << (int)(e - ulpExp);
        return diff >> (int)(ulpExp - e);
    }

    /// <summary>A hex float as an integer mantissa and a power of two.</summary>
    private static (BigInteger Mantissa, int Exponent) Parse(string s)
    {
        bool neg = s.StartsWith('-');
        if (neg) s = s[1..];
        int p = s.IndexOf('p');
        string digits = s[2..p];
        int exp = int.Parse(s[(p + 1)..], CultureInfo.InvariantCulture);
        int dot = digits.IndexOf('.');
        if (dot >= 0)
        {
            exp -= 4 * (digits.Length - dot - 1);
            digits = digits.Remove(dot, 1);
        }
        var m = BigInteger.Parse("0" + digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (neg ? -m : m, exp);
    }
}
