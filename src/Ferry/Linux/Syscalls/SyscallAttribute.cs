namespace Ferry.Linux.Syscalls;

/// <summary>Marks a static method <c>long M(LinuxProcess proc, in SyscallArgs a)</c> as the x86-64
/// system call <see cref="Number"/>. <see cref="Format"/> tells --strace how to print each argument:
/// d decimal, x hex, s string, f fd, o octal, p pointer.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class SyscallAttribute : Attribute
{
    public int Number { get; }
    public string Name { get; }
    public string Format { get; }

    public SyscallAttribute(int number, string name, string format = "")
    {
        Number = number; Name = name; Format = format;
    }
}
