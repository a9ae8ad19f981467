using System.Runtime.CompilerServices;
using Ferry.Memory;

namespace Ferry.Jit;

/// <summary>The full checked guest accesses as compiled code's shared slow paths call them: kept out of line,
/// since RyuJIT otherwise inlines each <see cref="GuestMemory"/> accessor (its check, its fault path, its
/// ordered and plain, aligned and unaligned loads) into every generated method that has the slow path, and
/// pays for that at every compilation although the path is cold.</summary>
internal static class SlowAccess
{
    [MethodImpl(MethodImplOptions.NoInlining)] public static byte Read8(GuestMemory m, ulong a) => m.Read8(a);
    [MethodImpl(MethodImplOptions.NoInlining)] public static ushort Read16(GuestMemory m, ulong a) => m.Read16(a);
    [MethodImpl(MethodImplOptions.NoInlining)] public static uint Read32(GuestMemory m, ulong a) => m.Read32(a);
    [MethodImpl(MethodImplOptions.NoInlining)] public static ulong Read64(GuestMemory m, ulong a) => m.Read64(a);
    [MethodImpl(MethodImplOptions.NoInlining)] public static void Write8(GuestMemory m, ulong a, byte v) => m.Write8(a, v);
    [MethodImpl(MethodImplOptions.NoInlining)] public static void Write16(GuestMemory m, ulong a, ushort v) => m.Write16(a, v);
    [MethodImpl(MethodImplOptions.NoInlining)] public static void Write32(GuestMemory m, ulong a, uint v) => m.Write32(a, v);
    [MethodImpl(MethodImplOptions.NoInlining)] public static void Write64(GuestMemory m, ulong a, ulong v) => m.Write64(a, v);
}
