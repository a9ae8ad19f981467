using System.Reflection;

namespace Ferry.Linux.Syscalls;

/// <summary>x86-64 system call numbers to handlers, built once from the [Syscall] attributes.</summary>
public static unsafe class SyscallTable
{
    public const int Size = 512;
    private static readonly nint[] Handlers = new nint[Size];
    private static readonly SyscallAttribute?[] Info = new SyscallAttribute?[Size];

    static SyscallTable()
    {
        foreach (var type in typeof(SyscallTable).Assembly.GetTypes())
        {
            if (type.Namespace != typeof(SyscallTable).Namespace) continue;
            foreach (var m in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
                foreach (var a in m.GetCustomAttributes<SyscallAttribute>())
                {
                    if (Handlers[a.Number] != 0) throw new InvalidOperationException($"two handlers for syscall {a.Number}");
                    Handlers[a.Number] = m.MethodHandle.GetFunctionPointer();
                    Info[a.Number] = a;
                }
        }
    }

    /// <summary>The handler of <paramref name="number"/>, or null.</summary>
    public static delegate*<LinuxProcess, in SyscallArgs, long> Get(ulong number) =>
        number < Size ? (delegate*<LinuxProcess, in SyscallArgs, long>)Handlers[number] : null;

    /// <summary>Name and argument format of <paramref name="number"/>, if Ferry knows the call.</summary>
    public static SyscallAttribute? Describe(ulong number) => number < Size ? Info[number] : null;

    /// <summary>The implemented system call numbers.</summary>
    public static IEnumerable<int> Implemented() => Enumerable.Range(0, Size).Where(n => Handlers[n] != 0);
}
