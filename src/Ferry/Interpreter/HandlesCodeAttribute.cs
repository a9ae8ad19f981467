using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Marks a static method as the semantics of specific instruction forms (Iced codes). It
/// takes precedence over a <see cref="HandlesAttribute"/> for the same mnemonic.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class HandlesCodeAttribute : Attribute
{
    public Code[] Codes { get; }
    public HandlesCodeAttribute(params Code[] codes) => Codes = codes;
}
