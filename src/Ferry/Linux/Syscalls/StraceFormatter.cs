using System.Text;

namespace Ferry.Linux.Syscalls;

/// <summary>Formats one system call the way strace prints it.</summary>
internal static class StraceFormatter
{
    public static string Call(LinuxProcess proc, ulong number, in SyscallArgs a)
    {
        var info = SyscallTable.Describe(number);
        var sb = new StringBuilder();
        sb.Append(info?.Name ?? $"syscall_{number}").Append('(');
        string fmt = info?.Format ?? "xxxxxx";
        for (int n = 0; n < fmt.Length; n++)
        {
            if (n > 0) sb.Append(", ");
            ulong v = a[n];
            switch (fmt[n])
            {
                case 'd': sb.Append((long)v); break;
                case 'f': sb.Append((int)v == -100 ? "AT_FDCWD" : ((int)v).ToString()); break;
                case 'o': sb.Append("0").Append(Convert.ToString((long)(v & 0xFFFFFFFF), 8)); break;
                case 's':
                    var s = proc.Memory.ReadCString(v, 256);
                    if (s == null) sb.Append($"0x{v:x}");
                    else sb.Append('"').Append(Escape(s)).Append('"');
                    break;
                case 'p': sb.Append(v == 0 ? "NULL" : $"0x{v:x}"); break;
                default: sb.Append($"0x{v:x}"); break;
            }
        }
        return sb.Append(')').ToString();
    }

    public static string Result(long r) =>
        r < 0 && r > -4096 ? $"-1 {Errno.Name((int)-r)} ({Errno.Describe((int)-r)})" : r > 0xFFFF ? $"0x{r:x}" : r.ToString();

    private static string Escape(byte[] s)
    {
        var sb = new StringBuilder();
        foreach (var b in s)
        {
            if (b == '"' || b == '\\') sb.Append('\\').Append((char)b);
            else if (b == '\n') sb.Append("\\n");
            else if (b >= 32 && b < 127) sb.Append((char)b);
            else sb.Append($"\\x{b:x2}");
        }
        return sb.ToString();
    }
}
