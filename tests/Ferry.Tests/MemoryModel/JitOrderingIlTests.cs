using System.Reflection;
using System.Reflection.Emit;
using Ferry.Jit;
using Ferry.Memory;
using Ferry.Tests.Oracle;
using Xunit;
using static Iced.Intel.AssemblerRegisters;
using Kind = Ferry.MemoryModel.MemoryModelKind;

namespace Ferry.Tests.MemoryModel;

/// <summary>The IL the JIT generates for guest loads and stores in each memory model, read back from the
/// dynamic method: which GuestMemory fast path each access calls, and whether that path orders the access
/// (a Volatile call or a volatile. prefix somewhere below it). This machine cannot run ARM64 code, where the
/// difference shows (LDAR/STLR against LDR/STR), so the IL is what is checked.</summary>
public sealed class JitOrderingIlTests
{
    private static readonly MethodInfo[] OrderedPaths = [.. MemoryAccessors.Ordered.TryReads, .. MemoryAccessors.Ordered.TryWrites];
    private static readonly MethodInfo[] PlainPaths = [.. MemoryAccessors.Plain.TryReads, .. MemoryAccessors.Plain.TryWrites];

    // Guest code: two accesses through RBX (shared data), two RSP-relative, a PUSH and a POP (stack), a LOCK ADD.
    private static byte[] Code() => DifferentialHarness.Assemble(a =>
    {
        a.mov(eax, __dword_ptr[rbx]);
        a.mov(__dword_ptr[rbx + 8], eax);
        a.mov(rcx, __qword_ptr[rsp + 8]);
        a.mov(__qword_ptr[rsp + 16], rcx);
        a.push(rax);
        a.pop(rdx);
        a.@lock.add(__dword_ptr[rbx], eax);
        a.ud2();
    });

    private static List<MethodBase> AccessorCalls(GuestMemory memory)
    {
        long code = memory.Map(0, 4096, 7, GuestMemory.MapPrivate | GuestMemory.MapAnonymous, -1, 0);
        Assert.True(code > 0);
        memory.WriteBytes((ulong)code, Code());
        var interp = new Ferry.Interpreter.Interpreter(memory);
        var block = interp.Code.Get((ulong)code);
        var compiled = BlockTranslator.Translate(block, verify: false, accessors: memory.Accessors);
        var dm = Assert.IsAssignableFrom<DynamicMethod>(compiled.Code.Method);
        var (il, resolve) = IlCalls.OfDynamic(dm);
        var (calls, _) = IlCalls.Scan(il, resolve);
        return [.. calls.Where(c => c.DeclaringType == typeof(GuestMemory) && c.Name.StartsWith("Try", StringComparison.Ordinal))];
    }

    private static string Names(IEnumerable<MethodBase> calls) => string.Join(" ", calls.Select(c => c.Name));

    [Fact]
    public void OrderedFastPathsOrderAndPlainOnesDoNot()
    {
        foreach (var m in OrderedPaths) Assert.True(IlCalls.Orders(m, typeof(GuestMemory)), $"{m.Name} is not ordered");
        foreach (var m in PlainPaths) Assert.False(IlCalls.Orders(m, typeof(GuestMemory)), $"{m.Name} orders");
    }

    [Fact]
    public void TsoOrdersSharedAccessesAndLeavesTheStackPlain()
    {
        using var memory = new GuestMemory();
        memory.SetMemoryModel(Kind.Tso, deferred: false);
        // In emission order: load [rbx], store [rbx+8], load [rsp+8], store [rsp+16], push, pop. The locked
        // ADD is not inline: its handler runs GuestMemory.CompareExchange.
        Assert.Equal(TsoCalls, Names(AccessorCalls(memory)));
    }

    private const string TsoCalls = "TryRead32 TryWrite32 TryReadPlain64 TryWritePlain64 TryWritePlain64 TryReadPlain64";

    [Theory]
    [InlineData(Kind.Relaxed, false)]
    [InlineData(Kind.Hardware, false)]
    [InlineData(Kind.Tso, true)] // auto on a host without hardware TSO, while the process has one thread
    public void UnorderedModesUsePlainAccessesOnly(Kind model, bool deferred)
    {
        using var memory = new GuestMemory();
        memory.SetMemoryModel(model, deferred);
        Assert.False(memory.OrderedAccesses);
        Assert.Equal("TryReadPlain32 TryWritePlain32 TryReadPlain64 TryWritePlain64 TryWritePlain64 TryReadPlain64", Names(AccessorCalls(memory)));
    }

    [Fact]
    public void AutoOrdersFromTheSecondThreadOnAndDropsPlainCode()
    {
        using var memory = new GuestMemory();
        memory.SetMemoryModel(Kind.Tso, deferred: true);
        long code = memory.Map(0, 4096, 7, GuestMemory.MapPrivate | GuestMemory.MapAnonymous, -1, 0);
        memory.WriteBytes((ulong)code, Code());
        var interp = new Ferry.Interpreter.Interpreter(memory);
        var before = interp.Code.Get((ulong)code);
        memory.NoteConcurrency();
        Assert.True(memory.OrderedAccesses);
        Assert.False(before.Valid);
        Assert.NotSame(before, interp.Code.Get((ulong)code));
        Assert.Same(MemoryAccessors.Ordered, memory.Accessors);
        // And code compiled from then on is tso's: shared accesses ordered, the stack plain.
        Assert.Equal(TsoCalls, Names(AccessorCalls(memory)));
    }

    [Fact]
    public void AutoOrdersOnceAWritableSharedMappingAppears()
    {
        using var memory = new GuestMemory();
        memory.SetMemoryModel(Kind.Tso, deferred: true);
        Assert.True(memory.Map(0, 4096, 1, GuestMemory.MapShared | GuestMemory.MapAnonymous, -1, 0) > 0);
        Assert.False(memory.OrderedAccesses);
        Assert.True(memory.Map(0, 4096, 3, GuestMemory.MapPrivate | GuestMemory.MapAnonymous, -1, 0) > 0);
        Assert.False(memory.OrderedAccesses);
        Assert.True(memory.Map(0, 4096, 3, GuestMemory.MapShared | GuestMemory.MapAnonymous, -1, 0) > 0);
        Assert.True(memory.OrderedAccesses);
    }

    [Fact]
    public void ExplicitModesIgnoreConcurrency()
    {
        using var memory = new GuestMemory();
        memory.SetMemoryModel(Kind.Relaxed, deferred: false);
        memory.NoteConcurrency();
        Assert.False(memory.OrderedAccesses);
        memory.SetMemoryModel(Kind.Tso, deferred: false);
        Assert.True(memory.OrderedAccesses);
    }
}
