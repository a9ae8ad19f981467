using System.Runtime.InteropServices;
using Ferry.Tests.Oracle;
using Xunit;

namespace Ferry.Tests.Sse;

/// <summary>One native oracle and one interpreter runner shared by all SSE differential tests. The
/// native runner has a single code buffer, so the tests of this collection never run in parallel.</summary>
public sealed unsafe class NativeFixture : IDisposable
{
    public NativeCpu Native { get; } = new();
    public SnippetRunner Runner { get; } = new();
    /// <summary>A private stack for the native snippets, so a signal arriving mid-snippet has room.</summary>
    public ulong StackTop { get; }
    private readonly void* _stack;
    private const int StackSize = 256 * 1024;

    public NativeFixture()
    {
        Runner.Share(Native.Scratch, NativeCpu.ScratchSize);
        _stack = NativeMemory.AlignedAlloc(StackSize, 4096);
        StackTop = (ulong)_stack + StackSize - 64;
    }

    public void Dispose()
    {
        Runner.Dispose();
        Native.Dispose();
        NativeMemory.AlignedFree(_stack);
    }
}

[CollectionDefinition("SseNative", DisableParallelization = true)]
public sealed class SseNativeCollection : ICollectionFixture<NativeFixture> { }
