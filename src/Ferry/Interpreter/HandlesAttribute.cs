using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Marks a static method <c>void M(Processor p, in Instruction i)</c> as the semantics of
/// every form of the given mnemonics. Discovered by <see cref="HandlerTable"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class HandlesAttribute : Attribute
{
    public Mnemonic[] Mnemonics { get; }
    public HandlesAttribute(params Mnemonic[] mnemonics) => Mnemonics = mnemonics;
}
