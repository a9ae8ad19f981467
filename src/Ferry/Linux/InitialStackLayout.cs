namespace Ferry.Linux;

/// <summary>What exec left on the guest's stack, as the kernel records it in mm_struct: where the
/// argument and environment strings lie (/proc/self/cmdline and environ read them live, so a program
/// that rewrites its argv shows the new text), a copy of the auxiliary vector (/proc/self/auxv is the
/// saved copy, not the stack), and the stack mapping itself.</summary>
/// <param name="StackPointer">The initial RSP (stat's startstack).</param>
/// <param name="StackLow">Lowest address of the stack mapping.</param>
/// <param name="StackHigh">End of the stack mapping.</param>
/// <param name="ArgStart">First byte of argv[0].</param>
/// <param name="ArgEnd">One past the NUL of the last argument.</param>
/// <param name="EnvStart">First byte of envp[0].</param>
/// <param name="EnvEnd">One past the NUL of the last environment string.</param>
/// <param name="Auxv">The auxiliary vector as bytes, AT_NULL pair included.</param>
/// <param name="Executable">The program file as the host names it, absolute and with every symlink
/// resolved at exec time (what /proc/self/exe links to, whatever the process's directory is later).</param>
public sealed record InitialStackLayout(ulong StackPointer, ulong StackLow, ulong StackHigh,
    ulong ArgStart, ulong ArgEnd, ulong EnvStart, ulong EnvEnd, byte[] Auxv, string Executable);
