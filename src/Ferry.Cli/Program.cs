using System.CommandLine;
using Ferry.Linux;
using Ferry.Linux.Elf;

namespace Ferry.Cli;

/// <summary>The <c>ferry</c> command: <c>ferry [options] PROGRAM [ARGS...]</c>.</summary>
internal static class Program
{
    private const int ExitCannotExecute = 126, ExitNotFound = 127;

    private static int Main(string[] args)
    {
        // Ferry's options come before the program; everything from the program on belongs to the guest,
        // even words that look like options.
        int split = FindProgram(args);
        var ferryArgs = split < 0 ? args : args[..(split + 1)];
        var guestArgs = split < 0 ? Array.Empty<string>() : args[(split + 1)..];

        var strace = new Option<bool>("--strace") { Description = "Trace the guest's system calls to standard error, like strace." };
        var program = new Argument<string>("program") { Description = "The x86-64 Linux program to run." };
        var guestArguments = new Argument<string[]>("args") { Description = "Arguments for the program.", Arity = ArgumentArity.ZeroOrMore };
        var root = new RootCommand("Ferry runs x86-64 Linux programs on any Linux host.") { strace, program, guestArguments };
        root.SetAction(parse => Run(parse.GetValue(program)!, guestArgs, parse.GetValue(strace)));
        return root.Parse(ferryArgs).Invoke();
    }

    private static int FindProgram(string[] args)
    {
        for (int n = 0; n < args.Length; n++)
        {
            if (args[n] == "--") return n + 1 < args.Length ? n + 1 : -1;
            if (!args[n].StartsWith('-')) return n;
        }
        return -1;
    }

    private static int Run(string path, string[] guestArgs, bool strace)
    {
        var argv = new List<string> { path };
        argv.AddRange(guestArgs);
        ProcessExit exit;
        try
        {
            if (Directory.Exists(path)) return Fail(path, "Is a directory", ExitCannotExecute);
            exit = GuestProgram.Run(path, argv, strace: strace ? Console.Error : null);
        }
        catch (FileNotFoundException) { return Fail(path, "No such file or directory", ExitNotFound); }
        catch (DirectoryNotFoundException) { return Fail(path, "No such file or directory", ExitNotFound); }
        catch (UnauthorizedAccessException) { return Fail(path, "Permission denied", ExitCannotExecute); }
        catch (ElfException e) { return Fail(path, e.Message, ExitCannotExecute); }
        catch (IOException e) { return Fail(path, e.Message, ExitCannotExecute); }
        if (exit.Signaled) HostProcess.DieBySignal(exit.Signal);
        return exit.ExitCode;
    }

    private static int Fail(string path, string message, int status)
    {
        Console.Error.WriteLine($"ferry: {path}: {message}");
        return status;
    }
}
