using System.Reflection;
using System.Reflection.Emit;

namespace Ferry.Tests.MemoryModel;

/// <summary>Reads IL: the methods a method body calls, and whether it uses the <c>volatile.</c> prefix. For a
/// <see cref="DynamicMethod"/> the bytes come from its IL generator and the call tokens from the method's
/// dynamic scope, both runtime internals read by reflection (there is no public API for either).</summary>
internal static class IlCalls
{
    private const BindingFlags Any = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    /// <summary>The IL bytes and a token resolver of a compiled block's dynamic method.</summary>
    public static (byte[] Il, Func<int, MethodBase?> Resolve) OfDynamic(DynamicMethod dm)
    {
        var gen = dm.GetILGenerator();
        var t = gen.GetType();
        byte[] stream = (byte[])Field(t, "m_ILStream").GetValue(gen)!;
        int length = (int)Field(t, "m_length").GetValue(gen)!;
        object scope = Field(t, "m_scope").GetValue(gen)!;
        var item = scope.GetType().GetProperty("Item", Any)!;
        MethodBase? Resolve(int token) => item.GetValue(scope, [token]) switch
        {
            RuntimeMethodHandle h => MethodBase.GetMethodFromHandle(h),
            DynamicMethod d => d,
            var o when o?.GetType().Name == "GenericMethodInfo" =>
                MethodBase.GetMethodFromHandle((RuntimeMethodHandle)Field(o.GetType(), "m_methodHandle").GetValue(o)!,
                    (RuntimeTypeHandle)Field(o.GetType(), "m_context").GetValue(o)!),
            _ => null,
        };
        return (stream[..length], Resolve);
    }

    private static FieldInfo Field(Type t, string name)
    {
        for (var x = t; x != null; x = x.BaseType)
            if (x.GetField(name, Any | BindingFlags.DeclaredOnly) is { } f) return f;
        throw new MissingFieldException(t.Name, name);
    }

    /// <summary>The IL of an ordinary method and its module's resolver.</summary>
    public static (byte[] Il, Func<int, MethodBase?> Resolve) Of(MethodBase m)
    {
        var body = m.GetMethodBody() ?? throw new ArgumentException($"{m.Name} has no IL");
        var generic = m.IsGenericMethod ? m.GetGenericArguments() : null;
        var typeArgs = m.DeclaringType is { IsGenericType: true } dt ? dt.GetGenericArguments() : null;
        return (body.GetILAsByteArray()!, token =>
        {
            try { return m.Module.ResolveMethod(token, typeArgs, generic); }
            catch (ArgumentException) { return null; }
        });
    }

    /// <summary>The calls (call, callvirt, newobj) in order, and whether any instruction has the volatile. prefix.</summary>
    public static (List<MethodBase> Calls, bool VolatilePrefix) Scan(byte[] il, Func<int, MethodBase?> resolve)
    {
        var calls = new List<MethodBase>();
        bool vol = false;
        int pc = 0;
        while (pc < il.Length)
        {
            OpCode op;
            if (il[pc] == 0xFE) { op = Two[il[pc + 1]]; pc += 2; }
            else { op = One[il[pc]]; pc++; }
            if (op == OpCodes.Volatile) vol = true;
            int operand = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, pc),
                _ => 4,
            };
            if (op == OpCodes.Call || op == OpCodes.Callvirt || op == OpCodes.Newobj)
                if (resolve(BitConverter.ToInt32(il, pc)) is { } m) calls.Add(m);
            pc += operand;
        }
        return (calls, vol);
    }

    /// <summary>True when <paramref name="m"/>, or a method of <paramref name="within"/> it calls (transitively),
    /// orders memory: a Volatile or Interlocked call or a volatile. prefix.</summary>
    public static bool Orders(MethodBase m, Type within, HashSet<MethodBase>? seen = null)
    {
        seen ??= [];
        if (!seen.Add(m)) return false;
        if (m.DeclaringType == typeof(Volatile) || m.DeclaringType == typeof(Interlocked)) return true;
        if (m.DeclaringType != within) return false;
        var (il, resolve) = Of(m);
        var (calls, vol) = Scan(il, resolve);
        return vol || calls.Any(c => Orders(c, within, seen));
    }

    private static readonly OpCode[] One = new OpCode[256], Two = new OpCode[256];

    static IlCalls()
    {
        foreach (var f in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)f.GetValue(null)!;
            ushort v = (ushort)op.Value;
            if (op.Size == 1) One[v] = op; else Two[v & 0xFF] = op;
        }
    }
}
