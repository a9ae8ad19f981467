using System.Reflection;
using System.Runtime.CompilerServices;
using Ferry.Memory;
using Xunit;

namespace Ferry.Tests.MemoryModel;

/// <summary>The interpreter follows the memory model through GuestMemory's checked accessors (Read8…Read256,
/// Write8…Write256), which every handler's guest access goes through: each must have an ordered path (a callee
/// that orders: Volatile, Interlocked or a volatile. prefix) and a plain one (Unsafe's unaligned access), chosen
/// by <see cref="GuestMemory.OrderedAccesses"/>, whose value per model JitOrderingIlTests checks. As there,
/// the IL is what this machine can check: the difference shows only on ARM64 (LDAR/STLR against LDR/STR).</summary>
public sealed class InterpreterOrderingIlTests
{
    public static TheoryData<string> Accessors() =>
        new(from w in new[] { 8, 16, 32, 64, 128, 256 } from k in new[] { "Read", "Write" } select $"{k}{w}");

    [Theory, MemberData(nameof(Accessors))]
    public void CheckedAccessorHasAnOrderedAndAPlainPath(string name)
    {
        var m = typeof(GuestMemory).GetMethod(name, BindingFlags.Public | BindingFlags.Instance)!;
        Assert.NotNull(m);
        var (il, resolve) = IlCalls.Of(m);
        var (calls, _) = IlCalls.Scan(il, resolve);
        var own = calls.Where(c => c.DeclaringType == typeof(GuestMemory) && !c.Name.StartsWith("Check", StringComparison.Ordinal)).ToList();
        Assert.True(own.Any(c => IlCalls.Orders(c, typeof(GuestMemory))), $"{name} has no ordered path: calls {string.Join(" ", calls.Select(c => c.Name))}");
        Assert.True(calls.Any(c => c.DeclaringType == typeof(Unsafe) && c.Name.Contains("Unaligned", StringComparison.Ordinal)),
            $"{name} has no plain path: calls {string.Join(" ", calls.Select(c => c.Name))}");
    }
}
