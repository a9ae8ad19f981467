using System.Reflection;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Maps each Iced <see cref="Code"/> to the function pointer of its semantics, built once
/// from the [Handles]/[HandlesCode] attributes of the instruction-family classes.</summary>
public static unsafe class HandlerTable
{
    private static readonly nint[] ByCode = Build();

    /// <summary>The handler for bytes that do not decode, or forms Ferry does not implement.</summary>
    public static nint Undefined { get; } = (nint)(delegate*<Processor, in Instruction, void>)&RaiseUndefined;

    /// <summary>The handler of <paramref name="code"/>, or <see cref="Undefined"/>.</summary>
    public static nint Get(Code code) => ByCode[(int)code] is var h && h != 0 ? h : Undefined;

    /// <summary>True when Ferry has semantics for <paramref name="code"/>.</summary>
    public static bool IsImplemented(Code code) => ByCode[(int)code] != 0;

    /// <summary>All implemented codes.</summary>
    public static IEnumerable<Code> Implemented()
    {
        for (int c = 0; c < ByCode.Length; c++) if (ByCode[c] != 0) yield return (Code)c;
    }

    private static void RaiseUndefined(Processor p, in Instruction i) => throw new CpuException(CpuExceptionKind.InvalidOpcode);

    private static nint[] Build()
    {
        var codeCount = Enum.GetValues<Code>().Length;
        var byCode = new nint[codeCount];
        var byMnemonic = new Dictionary<Mnemonic, nint>();
        var explicitCodes = new HashSet<Code>();
        foreach (var type in typeof(HandlerTable).Assembly.GetTypes())
        {
            if (type.Namespace is null || !type.Namespace.StartsWith("Ferry.Interpreter", StringComparison.Ordinal)) continue;
            foreach (var m in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            {
                var mn = m.GetCustomAttributes<HandlesAttribute>().ToArray();
                var cd = m.GetCustomAttributes<HandlesCodeAttribute>().ToArray();
                if (mn.Length == 0 && cd.Length == 0) continue;
                var ptr = m.MethodHandle.GetFunctionPointer();
                foreach (var a in mn)
                    foreach (var x in a.Mnemonics)
                        if (!byMnemonic.TryAdd(x, ptr)) throw new InvalidOperationException($"two handlers for {x}");
                foreach (var a in cd)
                    foreach (var c in a.Codes)
                    {
                        if (!explicitCodes.Add(c)) throw new InvalidOperationException($"two handlers for {c}");
                        byCode[(int)c] = ptr;
                    }
            }
        }
        for (int c = 1; c < codeCount; c++)
        {
            if (byCode[c] != 0) continue;
            var code = (Code)c;
            if (byMnemonic.TryGetValue(code.Mnemonic(), out var h) && IsLongModeGeneralForm(code)) byCode[c] = h;
        }
        return byCode;
    }

    // A mnemonic handler covers the legacy and VEX encodings that exist in 64-bit mode (VEX forms have
    // their own mnemonics: VADDPS, ANDN...). EVEX, XOP and MVEX forms, and 16/32-bit-only forms, need an
    // explicit [HandlesCode] to be claimed.
    private static bool IsLongModeGeneralForm(Code code)
    {
        var enc = code.Encoding();
        if (enc != EncodingKind.Legacy && enc != EncodingKind.VEX) return false;
        return code.ToOpCode().Mode64;
    }
}
