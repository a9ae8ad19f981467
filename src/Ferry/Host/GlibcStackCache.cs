using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ferry.Host;

/// <summary>Keeps glibc from handing out or freeing, in a forked child, the stacks of the threads the fork left
/// behind. glibc's fork moves every other thread's stack into its cache of free stacks, so the child's next
/// thread of a similar size runs on one of them, and a thread that ends in the child trims the cache (40 MiB)
/// by unmapping them. The .NET runtime of the child still counts those threads as its own and walks their
/// stacks at every garbage collection: it then read another thread's frames or unmapped memory and crashed.
/// The child therefore empties the cache list right after the fork: the stacks stay mapped and untouched.
/// glibc publishes the offsets of its stack lists in <c>_rtld_global</c> for libthread_db
/// (<c>_thread_db_rtld_global__dl_stack_user</c>); the cache list and its size follow that list, as in every glibc
/// since 2.34. Where these symbols are missing (another C library) or the layout does not look as expected,
/// nothing is changed.</summary>
internal static unsafe class GlibcStackCache
{
    // list_t { next, prev }; the cache list and its byte count follow the user-stack list in struct rtld_global.
    private static readonly nint* Head;
    private static readonly nuint* Actsize;

    static GlibcStackCache() => Head = Find(out Actsize);

    private static nint* Find(out nuint* actsize)
    {
        actsize = null;
        try
        {
            nint libc = NativeLibrary.Load("libc.so.6");
            if (!NativeLibrary.TryGetExport(libc, "_rtld_global", out nint rtld)
                || !NativeLibrary.TryGetExport(libc, "_thread_db_rtld_global__dl_stack_used", out nint usedDesc)
                || !NativeLibrary.TryGetExport(libc, "_thread_db_rtld_global__dl_stack_user", out nint userDesc))
                return null;
            // A libthread_db field descriptor: size in bits, element count, offset.
            uint* used = (uint*)usedDesc, user = (uint*)userDesc;
            int listBits = sizeof(nint) * 2 * 8;
            if (used[0] != listBits || user[0] != listBits || used[1] != 1 || user[1] != 1 || user[2] != used[2] + 2 * (uint)sizeof(nint))
                return null;
            byte* cache = (byte*)rtld + user[2] + 2 * sizeof(nint);
            actsize = (nuint*)(cache + 2 * sizeof(nint));
            return (nint*)cache;
        }
        catch (DllNotFoundException) { return null; }
    }

    /// <summary>Before the fork: resolves the addresses and compiles <see cref="Forget"/>. The child must not call a
    /// method for the first time before the cache is empty: a first call lets the tiered compiler start its
    /// background thread, which then got a left-behind stack at once (and glibc freed that thread's TLS, where the
    /// runtime keeps its allocation context).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static void Prepare() => Forget(false);

    /// <summary>With <paramref name="inChild"/>, in the child right after fork (no other thread exists): unlinks every
    /// cached stack. A stack that was truly free stays mapped as well, which costs address space only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static void Forget(bool inChild)
    {
        nint* head = Head;
        if (head == null) return;
        // Check that this is a well-formed circular list before touching it (bounded walk).
        nint node = head[0];
        for (int n = 0; node != (nint)head; n++)
        {
            if (node == 0 || n > 100_000 || ((nint*)node)[1] == 0) return;
            nint next = ((nint*)node)[0];
            if (next == 0 || ((nint*)next)[1] != node) return;
            node = next;
        }
        if (!inChild) return;
        head[0] = head[1] = (nint)head;
        *Actsize = 0;
    }
}
