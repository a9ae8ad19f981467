using System.Globalization;
using System.Text;
using Ferry.Linux.Elf;
using Ferry.Linux.Signals;
using Ferry.Memory;

namespace Ferry.Linux.Proc;

/// <summary>/proc/self/stat and /proc/self/status: the host's lines (ids, times, state, limits) with
/// everything that describes the runtime rather than the guest replaced: the command name, the memory
/// sizes, the guest's signal masks, thread count, and the code, data, brk, argument and environment
/// addresses.</summary>
internal static class StatFiles
{
    private static string GuestThreads(LinuxProcess proc) => proc.LiveThreads().Length.ToString(CultureInfo.InvariantCulture);

    private static (ulong Pending, ulong Blocked, ulong Ignored, ulong Caught) SignalSets(LinuxProcess proc, Threads.GuestThread t)
    {
        ulong ignored = 0, caught = 0;
        for (int sig = 1; sig <= SignalState.Count; sig++)
        {
            var h = proc.Signals[sig].Handler;
            if (h == SignalAction.Ignore) ignored |= 1UL << (sig - 1);
            else if (h != SignalAction.Default) caught |= 1UL << (sig - 1);
        }
        return (t.Pending.Set, t.Blocked, ignored, caught);
    }

    private static ulong VirtualSize(LinuxProcess proc) => proc.Memory.Regions().Aggregate(0UL, (s, r) => s + (r.End - r.Start));

    // Code is the main image's executable segment; data its writable one (mm->start_code, end_data).
    private static (ulong CodeStart, ulong CodeEnd, ulong DataStart, ulong DataEnd) Segments(LoadedImage image)
    {
        ulong cs = 0, ce = 0, ds = 0, de = 0;
        foreach (var ph in image.File.ProgramHeaders)
        {
            if (ph.Type != ProgramHeader.Load) continue;
            ulong s = image.Bias + ph.VirtualAddress;
            if ((ph.Flags & ProgramHeader.FlagExec) != 0 && cs == 0) { cs = s; ce = s + ph.FileSize; }
            if ((ph.Flags & ProgramHeader.FlagWrite) != 0 && ds == 0) { ds = s; de = s + ph.FileSize; }
        }
        return (cs, ce, ds, de);
    }

    /// <summary>The part of a host stat line before the command name, and its fields from 3 (state) on, index 0
    /// being field 3, at least up to field 52 (exit_code, the last since Linux 3.5).</summary>
    /// <remarks>A host's line is not always a kernel's: qemu-user makes up its own /proc/self/stat, 44 fields
    /// with "0" as the state, so missing fields are zeros and a thread reading its own line is running
    /// (R), as the kernel says of the task that reads.</remarks>
    internal static (string Pid, string[] Fields) HostFields(string host, bool reader)
    {
        int open = host.IndexOf('('), close = host.LastIndexOf(')');
        string pid = host[..open].TrimEnd();
        var f = host[(close + 2)..].TrimEnd('\n').Split(' ');
        const int count = 52 - 2;
        if (f.Length < count)
        {
            int had = f.Length;
            Array.Resize(ref f, count);
            Array.Fill(f, "0", had, count - had);
        }
        if (reader) f[0] = "R";
        return (pid, f);
    }

    /// <summary>/proc/self/stat or a thread's task/TID/stat (fs/proc/array.c, do_task_stat): the host's
    /// line from <paramref name="hostPath"/> with the guest's facts.</summary>
    public static byte[] Stat(LinuxProcess proc, Threads.GuestThread t, string hostPath)
    {
        var (pid, f) = HostFields(File.ReadAllText(hostPath), ReferenceEquals(t, proc.CurrentThread));
        string Set(int field, ulong v) => f[field - 3] = v.ToString(CultureInfo.InvariantCulture);
        var (pend, blk, ign, cat) = SignalSets(proc, t);
        var (cs, ce, ds, de) = Segments(proc.Image);
        var st = proc.StackLayout;
        f[20 - 3] = GuestThreads(proc);
        Set(23, VirtualSize(proc));
        Set(24, proc.Memory.ResidentPages());
        Set(26, cs); Set(27, ce);
        Set(28, st?.StackPointer ?? 0);
        // The thread's own pending set, and only the first 31 signals: the kernel keeps these obsolete fields so.
        const ulong low = 0x7fffffff;
        Set(31, pend & low); Set(32, blk & low); Set(33, ign & low); Set(34, cat & low);
        Set(45, ds); Set(46, de); Set(47, proc.BrkStart);
        Set(48, st?.ArgStart ?? 0); Set(49, st?.ArgEnd ?? 0); Set(50, st?.EnvStart ?? 0); Set(51, st?.EnvEnd ?? 0);
        return Encoding.UTF8.GetBytes($"{pid} ({Encoding.UTF8.GetString(t.Name)}) {string.Join(' ', f)}\n");
    }

    private readonly record struct Sizes(ulong Data, ulong Exec, ulong RssAnon, ulong RssFile, ulong RssShmem, ulong ExeKb);

    // As the kernel counts them: data is private writable memory but the stack; VmExe the main
    // program's code, VmLib the rest of the executable memory. Bytes, except ExeKb.
    private static Sizes Measure(LinuxProcess proc)
    {
        ulong data = 0, exec = 0, rssAnon = 0, rssFile = 0, rssShmem = 0;
        foreach (var l in MapsFile.Lines(proc))
        {
            ulong len = l.End - l.Start, resident = proc.Memory.ResidentPages(l.Start, l.End) * PageMap.PageSize;
            bool shared = (l.Flags & PageFlags.Shared) != 0;
            if (!shared && (l.Flags & PageFlags.Write) != 0 && l.Name != "[stack]") data += len;
            if ((l.Flags & PageFlags.Exec) != 0) exec += len;
            if (shared && l.Inode == "0" || l.Name.StartsWith("/memfd:", StringComparison.Ordinal)) rssShmem += resident;
            else if (l.Inode == "0") rssAnon += resident;
            else rssFile += resident;
        }
        var (cs, ce, _, _) = Segments(proc.Image);
        return new Sizes(data, exec, rssAnon, rssFile, rssShmem, (ce - cs + 1023) / 1024);
    }

    /// <summary>/proc/self/statm (fs/proc/array.c, proc_pid_statm): size resident shared text lib data dt,
    /// in pages.</summary>
    public static byte[] Statm(LinuxProcess proc)
    {
        var m = Measure(proc);
        var st = proc.StackLayout;
        ulong stack = st == null ? 0 : st.StackHigh - st.StackLow;
        ulong page = PageMap.PageSize;
        ulong size = VirtualSize(proc) / page, resident = (m.RssAnon + m.RssFile + m.RssShmem) / page;
        ulong text = (m.ExeKb * 1024 + page - 1) / page;
        return Encoding.ASCII.GetBytes($"{size} {resident} {(m.RssFile + m.RssShmem) / page} {text} 0 {(m.Data + stack) / page} 0\n");
    }

    /// <summary>/proc/self/status or a thread's task/TID/status (fs/proc/array.c, proc_pid_status).</summary>
    public static byte[] Status(LinuxProcess proc, Threads.GuestThread t, string hostPath)
    {
        var lines = File.ReadAllLines(hostPath);
        var (pend, blk, ign, cat) = SignalSets(proc, t);
        ulong shared = proc.SharedPending;
        ulong vsizeKb = VirtualSize(proc) / 1024, rssKb = proc.Memory.ResidentPages() * PageMap.PageSize / 1024;
        var st = proc.StackLayout;
        ulong stackKb = st == null ? 0 : (st.StackHigh - st.StackLow) / 1024;
        var m = Measure(proc);
        ulong data = m.Data, exec = m.Exec, rssAnon = m.RssAnon, rssFile = m.RssFile, rssShmem = m.RssShmem, exeKb = m.ExeKb;
        string Kb(ulong v) => $"{v,8} kB";
        var sb = new StringBuilder();
        foreach (var line in lines)
        {
            int colon = line.IndexOf(':');
            string key = colon < 0 ? line : line[..colon];
            string? value = key switch
            {
                "Name" => Encoding.UTF8.GetString(t.Name),
                "Threads" => GuestThreads(proc),
                "VmPeak" or "VmSize" => Kb(vsizeKb),
                "VmHWM" or "VmRSS" => Kb(rssKb),
                "VmStk" => Kb(stackKb),
                "VmData" => Kb(data / 1024),
                "VmExe" => Kb(exeKb),
                "VmLib" => Kb(exec / 1024 > exeKb ? exec / 1024 - exeKb : 0),
                "RssAnon" => Kb(rssAnon / 1024),
                "RssFile" => Kb(rssFile / 1024),
                "RssShmem" => Kb(rssShmem / 1024),
                "SigPnd" => pend.ToString("x16", CultureInfo.InvariantCulture),
                "ShdPnd" => shared.ToString("x16", CultureInfo.InvariantCulture),
                "SigBlk" => blk.ToString("x16", CultureInfo.InvariantCulture),
                "SigIgn" => ign.ToString("x16", CultureInfo.InvariantCulture),
                "SigCgt" => cat.ToString("x16", CultureInfo.InvariantCulture),
                _ => null,
            };
            sb.Append(value == null ? line : $"{key}:\t{value}").Append('\n');
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
