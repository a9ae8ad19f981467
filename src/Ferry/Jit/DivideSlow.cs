using System.Runtime.CompilerServices;
using Ferry.Cpu;
using Ferry.Interpreter;

namespace Ferry.Jit;

/// <summary>The divisions compiled code does not finish inline (a zero divisor, a quotient that does not fit, a
/// dividend wider than 64 bits): the interpreter's definitions, out of line so that RyuJIT does not inline their
/// 128-bit and fault paths into every method that divides. The state is published before the call, so #DE is
/// raised with every register as of the instruction.</summary>
internal static class DivideSlow
{
    [MethodImpl(MethodImplOptions.NoInlining)] public static void Div32(ref CpuState s, ulong d) => MulDiv.Divide(ref s, d, 4);
    [MethodImpl(MethodImplOptions.NoInlining)] public static void Div64(ref CpuState s, ulong d) => MulDiv.Divide(ref s, d, 8);
    [MethodImpl(MethodImplOptions.NoInlining)] public static void Idiv32(ref CpuState s, ulong d) => MulDiv.DivideSigned(ref s, d, 4);
    [MethodImpl(MethodImplOptions.NoInlining)] public static void Idiv64(ref CpuState s, ulong d) => MulDiv.DivideSigned(ref s, d, 8);
}
