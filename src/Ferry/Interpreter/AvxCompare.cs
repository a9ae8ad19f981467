using Ferry.Cpu;

namespace Ferry.Interpreter;

/// <summary>The 32 comparison predicates of VCMPPS/PD/SS/SD. Bits 2:0 name the relation as in the
/// legacy 8 predicates; bit 3 inverts the result for unordered operands (EQ_UQ, NGE, FALSE, NEQ_OQ …);
/// bit 4 swaps signaling and quiet behaviour on QNaN operands.</summary>
public static class AvxCompare
{
    public static uint F32(uint a, uint b, int predicate, uint mxcsr, ref uint flags) =>
        Holds(SseFloat.ComiF32(a, b, Signaling(predicate), mxcsr, ref flags), predicate) ? uint.MaxValue : 0;

    public static ulong F64(ulong a, ulong b, int predicate, uint mxcsr, ref uint flags) =>
        Holds(SseFloat.ComiF64(a, b, Signaling(predicate), mxcsr, ref flags), predicate) ? ulong.MaxValue : 0;

    private static bool Signaling(int predicate) => ((predicate & 3) is 1 or 2) ^ ((predicate & 16) != 0);

    private static bool Holds(Ordering o, int predicate)
    {
        bool r = (predicate & 7) switch
        {
            0 => o == Ordering.Equal,
            1 => o == Ordering.Less,
            2 => o is Ordering.Less or Ordering.Equal,
            3 => o == Ordering.Unordered,
            4 => o != Ordering.Equal,
            5 => o != Ordering.Less,
            6 => o is not (Ordering.Less or Ordering.Equal),
            _ => o != Ordering.Unordered,
        };
        return (predicate & 8) != 0 && o == Ordering.Unordered ? !r : r;
    }
}
